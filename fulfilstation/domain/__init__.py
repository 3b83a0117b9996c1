"""Pure rules of the warehouse: no I/O, no database, no Qt."""
