"""``orchard-hq import-sales FILE.csv``: sales from a file, one receipt line per row
(issue 23).

Columns (a header row names them, in any order): ``receipt_id, store, at, currency,
total_cents, member_no, phone, email, refund_of, sku, description, qty, amount_cents``. The
rows of one receipt come together and repeat the receipt's columns; each row adds a line.
A receipt HQ holds already, the same, is a duplicate: nothing changes, so the same file
imported twice changes nothing. A receipt id HQ holds for another sale (another store,
total or lines) is a bad row, ``line N: receipt_id: already used for another sale``. Rows
of one receipt apart from each other (another receipt's rows between them) are bad rows,
``line N: receipt_id: rows of one receipt must come together``, at the first line of each
run after the first, and at the first run's when that run is still in the chunk being read
(a run stored with an earlier chunk stays stored: fix the file, and its import again says
which receipts clash).

Streamed: the file is read once, its receipts stored a chunk at a time
(:func:`hq.sales.intake.store_sales`: set-based, one transaction per chunk), so memory grows
with the file by its receipt ids only (to know a split receipt). A bad receipt is reported
as ``line N: field: reason`` (the line of the row at fault, the field by its column name)
and never with a value; ``dry_run`` writes nothing and reports the same counts.
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
SPLIT = "rows of one receipt must come together"


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
    split: bool = False                 # a later run of a receipt whose rows came before

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
    pending: dict[str, _Group] = {}

    def store(groups: list[_Group]) -> None:
        batch = _checked(groups, known, report, now=now, held=intake.existing(engine, [g.receipt_id for g in groups]))
        if batch:
            lines = {g.receipt_id: g.first_line for g in groups}
            _count(intake.store_sales(engine, batch, source="csv", now=now, dry_run=dry_run, chunk=chunk,
                                      recompute=False), report, lines)

    with open(path, newline="", encoding="utf-8-sig") as f:
        for group in _groups(f, report):
            if group.split:
                earlier = pending.pop(group.receipt_id, None)      # its first run, not stored yet
                if earlier is not None:
                    report.problems.append(Problem(earlier.first_line, "receipt_id", SPLIT))
            else:
                report.receipts += 1
            if group.problem is not None:
                report.problems.append(group.problem)
                continue
            pending[group.receipt_id] = group
            if len(pending) >= chunk:
                store(list(pending.values()))
                pending = {}
    store(list(pending.values()))
    report.problems.sort(key=lambda p: p.line)
    if recompute and not dry_run:
        intake.recompute_scores(engine, report.customers, now=now)
    return report


def _checked(groups: list[_Group], known: dict[str, intake.StoreInfo], report: ImportReport, *,
             now: datetime, held: set[str]) -> list[SaleIn]:
    """One chunk's receipts checked (whether one HQ holds, ``held``, is the same sale or
    another, :func:`hq.sales.intake.store_sales` decides: not by its keys, which are left
    unread, as a duplicate changes nothing)."""
    memo: Memo = {}             # the keys normalised in this chunk (a customer often comes twice)
    batch: list[SaleIn] = []
    for group in groups:
        raw = group.as_raw()
        if group.receipt_id in held:
            raw.update(member_no="", phone="", email="")
        try:
            batch.append(intake.parse(raw, known, now=now, memo=memo))
        except ValidationError as exc:
            report.problems.append(_problem(group, exc))
    return batch


def _count(outcomes: list[intake.Outcome], report: ImportReport, lines: dict[str, int]) -> None:
    for o in outcomes:
        if o.status == intake.DUPLICATE:
            report.duplicates += 1
            continue
        if o.status == intake.CONFLICT:
            field, _, reason = intake.CLASH.partition(": ")
            report.problems.append(Problem(lines[o.receipt_id or ""], field, reason))
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
    """The file's receipts: runs of rows with the same ``receipt_id``; a run of a receipt
    that came before is ``split``, with its problem."""
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
    seen: set[str] = set()
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
            if head[0] in seen:
                group.split, group.problem = True, Problem(line, "receipt_id", SPLIT)
            elif head[0]:
                seen.add(head[0])
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
