"""The manifest's rows as CSV for a carrier's system or a spreadsheet.

RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a
line break (quotes doubled). UTF-8 without a byte-order mark. Pure and thread-safe; the
rows are exactly those of the PDF, in the same order.
"""

from __future__ import annotations

import csv
import io

from fulfilstation.documents.manifest_sheet import ManifestSheet, pounds

HEADER = ("manifest", "tracking_number", "service", "weight_g", "weight_lb", "destination_postal_code", "reference")


def build_manifest_csv(sheet: ManifestSheet) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    writer.writerows((sheet.number, row.tracking_number, row.service, row.weight_g, pounds(row.weight_g),
                      row.postal_code, row.reference) for row in sheet.rows)
    return buffer.getvalue().encode("utf-8")
