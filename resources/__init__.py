"""Icons, sounds, fonts and templates, loaded with ``importlib.resources``."""
