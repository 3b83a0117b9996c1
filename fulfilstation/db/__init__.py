"""Persistence: SQLAlchemy models, engines, migrations and the unit of work.

Only ``fulfilstation`` services import this package; the Qt layer never does.
"""
