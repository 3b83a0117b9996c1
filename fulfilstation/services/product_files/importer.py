"""``import_products``: a product file into the catalogue, all or nothing, with a report.

Invariants:

* the valid rows go in and every broken row is reported with its line and reason; a
  rejected row changes nothing;
* the whole import is ONE transaction (load, plan, write and its audit entry): a database
  failure — a full disk, another station adding the same SKU or barcode at the same moment
  — rolls all of it back and is refused saying so;
* the SKU is the key: re-importing the same file inserts nothing and updates only products
  whose fields changed (``updated`` vs ``unchanged``);
* a dry run reads, checks and plans exactly as a real run, and writes nothing;
* one audit entry ``products.imported`` names the file and its counts.

Threading: blocking (database); call from worker threads. ``progress`` is called on the
calling thread.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from fulfilstation.db.database import Database
from fulfilstation.domain.words import plural
from fulfilstation.imports import CsvUnreadable, ImportProgress, ImportReport, read_csv_bytes
from fulfilstation.services import audit
from fulfilstation.services.actor import Actor
from fulfilstation.services.product_files import catalogue as catalogue_module
from fulfilstation.services.product_files.formats import FormatUnknown, parse
from fulfilstation.services.product_files.plan import plan
from fulfilstation.services.product_files.refusals import ProductFileRefused
from fulfilstation.services.product_files.rows import ParsedFile, ProductFileFormat
from fulfilstation.services.product_files.write import write


def import_products(database: Database, actor: Actor, data: bytes, *, file_format: ProductFileFormat | str | None,
                    dry_run: bool, progress: ImportProgress | None, file_name: str | None) -> ImportReport:
    parsed, notes = read(data, file_format)
    total = max(len(parsed.rows), 1)
    if progress is not None:
        progress(0, total)
    try:
        with database.unit_of_work() as session:
            catalogue = catalogue_module.load(session)
            decided = plan(parsed.rows, catalogue, progress, total)
            problems = sorted((*parsed.problems, *decided.problems), key=lambda problem: problem.line)
            rejected = len({problem.line for problem in problems if problem.rejects})
            imported = sum(1 for step in decided.steps if step.known is None)
            updated = sum(1 for step in decided.steps if step.known is not None and step.changed)
            report = ImportReport(imported=imported, updated=updated, rejected=rejected,
                                  unchanged=len(decided.steps) - imported - updated, problems=tuple(problems),
                                  notes=notes, dry_run=dry_run)
            if dry_run:
                session.rollback()
                return report
            write(session, [step for step in decided.steps if step.changed], catalogue)
            audit.record(session, actor, "products.imported", "product", None, {
                "file": file_name, "format": parsed.format.value, "imported": imported, "updated": updated,
                "unchanged": report.unchanged, "rejected": rejected})
    except IntegrityError as error:
        raise ProductFileRefused("changed-meanwhile", "The catalogue changed while the file was being imported "
                                 "(another station added the same SKU or barcode): nothing was imported. "
                                 "Import the file again.") from error
    if progress is not None:
        progress(total, total)
    return report


def read(data: bytes, file_format: ProductFileFormat | str | None) -> tuple[ParsedFile, tuple[str, ...]]:
    """The file parsed, and the notes about the whole of it; ProductFileRefused when unreadable."""
    if file_format is not None and file_format not in {f.value for f in ProductFileFormat}:
        raise ProductFileRefused("format", f"{file_format!r} is not a product file format: use shopify or generic.")
    try:
        table = read_csv_bytes(data)
        parsed = parse(table, file_format)
    except (CsvUnreadable, FormatUnknown) as unreadable:
        raise ProductFileRefused("unreadable", f"The file cannot be imported: {unreadable}.") from unreadable
    skipped = parsed.lines - len(parsed.rows) - len({p.line for p in parsed.problems if p.rejects})
    described = "Shopify product export" if parsed.format is ProductFileFormat.SHOPIFY else "generic product file"
    about = f"read as a {described}: {plural(parsed.lines, 'line')}"
    if skipped and parsed.format is ProductFileFormat.SHOPIFY:
        about += f", {skipped} of them image rows (not products)"
    return parsed, (*table.notes, about, *parsed.notes)
