"""``orchard-hq import-sales FILE.csv``: sales from a file, one receipt line per row
(issue 23).

Columns (a header row names them, in any order): ``receipt_id, store, at, currency,
total_cents, member_no, phone, email, refund_of, sku, description, qty, amount_cents``. The
rows of one receipt come together and repeat the receipt's columns; each row adds a line.
A receipt seen earlier in the file, or already at HQ, is a duplicate: nothing changes, so
the same file imported twice changes nothing.

Streamed: the file is read once, its receipts stored a chunk at a time
(:func:`hq.sales.intake.store_sales`: set-based, one transaction per chunk), so memory does
not grow with the file. A bad receipt is reported as ``line N: field: reason`` (the line of
the row at fault, the field by its column name) and never with a value; ``dry_run`` writes
nothing and reports the same counts.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Engine

from core.crm.sales import Memo, SaleIn, line_field
from core.errors import ValidationError
from hq.sales import intake
from hq.sales.match import AMBIGUOUS, NONE

COLUMNS = ("receipt_id", "store", "at", "currency", "total_cents", "member_no", "phone", "email", "refund_of",
           "sku", "description", "qty", "amount_cents")
RECEIPT_COLUMNS = COLUMNS[:9]
LINE_COLUMNS = COLUMNS[9:]
MAX_CELL = 1000


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


@dataclass
class ImportReport:
    lines: int = 0                      # data rows read
    receipts: int = 0
    imported: int = 0
    duplicates: int = 0
    matched: int = 0
    unmatched: int = 0
    ambiguous: int = 0
    problems: list[Problem] = field(default_factory=list)
    customers: set[uuid.UUID] = field(default_factory=set)     # matched by the imported receipts

    @property
    def bad_rows(self) -> int:
        return len(self.problems)

    def summary(self, *, dry_run: bool = False) -> str:
        head = "dry run, nothing written: " if dry_run else ""
        return (f"{head}{self.lines} lines, {self.receipts} receipts: imported {self.imported} "
                f"(matched {self.matched}, unmatched {self.unmatched}, ambiguous {self.ambiguous}), "
                f"duplicates {self.duplicates}, bad rows {self.bad_rows}")


class FileError(Exception):
    """The file cannot be read as a sales file at all (no header, a missing column)."""


@dataclass
class _Group:
    receipt_id: str
    first_line: int
    head: tuple[str, ...]
    lines: list[tuple[str, ...]] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)
    problem: Problem | None = None

    def as_raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = dict(zip(RECEIPT_COLUMNS, self.head))
        raw["lines"] = [dict(zip(LINE_COLUMNS, ln)) for ln in self.lines]
        return raw


def import_csv(engine: Engine, path: Path | str, *, now: datetime, dry_run: bool = False,
               chunk: int = intake.CHUNK, recompute: bool = True) -> ImportReport:
    """Import (or with ``dry_run`` only check) a sales file; see the module's docstring."""
    report = ImportReport()
    with engine.connect() as conn:
        known = intake.stores(conn)
    seen: set[str] = set()
    pending: list[_Group] = []

    def store(batch: list[SaleIn]) -> None:
        if batch:
            _count(intake.store_sales(engine, batch, source="csv", now=now, dry_run=dry_run, chunk=chunk,
                                      recompute=False), report)

    with open(path, newline="", encoding="utf-8-sig") as f:
        for group in _groups(f, report):
            report.receipts += 1
            if group.problem is not None:
                report.problems.append(group.problem)
                continue
            pending.append(group)
            if len(pending) >= chunk:
                store(_checked(engine, pending, known, seen, report, now=now))
                pending = []
    store(_checked(engine, pending, known, seen, report, now=now))
    report.problems.sort(key=lambda p: p.line)
    if recompute and not dry_run:
        intake.recompute_scores(engine, report.customers, now=now)
    return report


def _checked(engine: Engine, groups: list[_Group], known: dict[str, intake.StoreInfo], seen: set[str],
             report: ImportReport, *, now: datetime) -> list[SaleIn]:
    """One chunk's receipts checked. A receipt HQ holds already (or that came earlier in the
    file) is a duplicate before it is read: nothing about it would change."""
    if not groups:
        return []
    have = intake.existing(engine, [g.receipt_id for g in groups])
    memo: Memo = {}             # the keys normalised in this chunk (a customer often comes twice)
    batch: list[SaleIn] = []
    for group in groups:
        if group.receipt_id in have or group.receipt_id in seen:
            report.duplicates += 1
            continue
        try:
            sale = intake.parse(group.as_raw(), known, now=now, memo=memo)
        except ValidationError as exc:
            report.problems.append(_problem(group, exc))
            continue
        seen.add(sale.receipt_id)
        batch.append(sale)
    return batch


def _count(outcomes: list[intake.Outcome], report: ImportReport) -> None:
    for o in outcomes:
        if o.status == intake.DUPLICATE:
            report.duplicates += 1
            continue
        report.imported += 1
        if o.match == AMBIGUOUS:
            report.ambiguous += 1
        elif o.match == NONE:
            report.unmatched += 1
        else:
            report.matched += 1
            if o.customer_id is not None:
                report.customers.add(o.customer_id)


def _problem(group: _Group, exc: ValidationError) -> Problem:
    """The row and column at fault: a line's field names its row, the rest the receipt's first."""
    where = line_field(exc.field)
    if where is not None and where[0] < len(group.line_numbers):
        return Problem(group.line_numbers[where[0]], where[1], exc.reason)
    if exc.field == "lines":
        return Problem(group.first_line, "receipt_id", exc.reason)
    return Problem(group.first_line, exc.field, exc.reason)


def _groups(f: io.TextIOBase | Any, report: ImportReport) -> Iterator[_Group]:
    """The file's receipts: runs of rows with the same ``receipt_id``."""
    reader = csv.reader(f)
    try:
        header = next(reader)
    except StopIteration:
        raise FileError("the file is empty") from None
    except csv.Error:
        raise FileError("line 1: the header is not CSV") from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise FileError(f"line 1: the header lacks the column {missing[0]}")
    at = [names.index(c) for c in COLUMNS]
    width = len(names)
    group: _Group | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            report.lines += 1
            report.problems.append(Problem(reader.line_num, "row", "is not valid CSV"))
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        report.lines += 1
        if len(row) != width:
            report.problems.append(Problem(line, "row", f"has {len(row)} columns, the header {width}"))
            continue
        cells = tuple(row[i].strip() for i in at)
        too_long = next((COLUMNS[i] for i, c in enumerate(cells) if len(c) > MAX_CELL), None)
        head, body = cells[:len(RECEIPT_COLUMNS)], cells[len(RECEIPT_COLUMNS):]
        if group is None or head[0] != group.receipt_id:
            if group is not None:
                yield group
            group = _Group(head[0], line, head)
        if group.problem is not None:
            continue
        if too_long is not None:
            group.problem = Problem(line, too_long, f"must be at most {MAX_CELL} characters")
        elif head != group.head:
            diff = next(c for c, a, b in zip(RECEIPT_COLUMNS, head, group.head) if a != b)
            group.problem = Problem(line, diff, "differs from the receipt's first line")
        else:
            group.lines.append(body)
            group.line_numbers.append(line)
    if group is not None:
        yield group


__all__ = ["COLUMNS", "FileError", "ImportReport", "Problem", "import_csv"]
