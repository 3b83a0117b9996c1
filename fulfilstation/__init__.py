__version__ = "0.1.0"

from fulfilstation import gs1_tables as _gs1_tables

_gs1_tables.install()  # before anything imports biip: see gs1_tables' docstring
