"""Reading the files people bring (shop exports, spreadsheets) and reporting on them.

Shared by every importer (products, bins, purchase orders, orders): ``csv_table`` turns a
file as it really comes (BOM, ``,``/``;``/tab, quoted newlines, Excel's encodings) into
rows that know their line number; ``report`` is the one shape of an import's outcome.
Pure Python, no database.
"""

from fulfilstation.imports.csv_table import CsvRow, CsvTable, CsvUnreadable, read_csv, read_csv_bytes
from fulfilstation.imports.report import ImportProgress, ImportReport, RowProblem

__all__ = ["CsvRow", "CsvTable", "CsvUnreadable", "ImportProgress", "ImportReport", "RowProblem", "read_csv",
           "read_csv_bytes"]
