"""``fulfilstation --self-test``: does this installation work? (see :mod:`.runner`)."""
