"""Customs of international shipments (issue #17, point 5): which orders cross a border and
what their products lack (``lines``), the documents printed with the label (``documents``).
No door of its own: intake, packing, shipping and the site's settings call these."""
