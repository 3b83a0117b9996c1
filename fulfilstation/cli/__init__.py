"""The ``fulfilstation`` command line. ``run(argv, launch_gui)`` is called by ``main.py``."""

from fulfilstation.cli.app import run

__all__ = ["run"]
