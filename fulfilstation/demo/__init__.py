"""Demo data: a realistic small web shop's warehouse, for trying the app and for tests."""
