"""Alembic migrations for FulfilStation (one history, runs on SQLite and PostgreSQL).

Run them through ``fulfilstation db upgrade`` (or the app, which migrates on start):
``fulfilstation.db.migrate`` builds the Alembic configuration and hands ``env.py`` an open
connection in ``config.attributes['connection']``.
"""
