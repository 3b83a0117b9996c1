"""Use cases. Each takes a ``Database`` (and ports), runs short units of work, and returns
frozen dataclasses: callers, the Qt layer included, never see ORM objects or sessions."""
