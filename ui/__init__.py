"""The Qt layer. Calls services through ``fulfilstation.app_context`` and receives plain
data; never imports SQLAlchemy, ``fulfilstation.db`` or ``drivers``."""
