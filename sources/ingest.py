"""Load landing files into the warehouse: once each, completely, traceably.

- A file is identified by its content hash. A file already loaded is skipped; the same content
  under another name is recorded as a duplicate and loads nothing; a changed file under the
  same name replaces the rows of its earlier version. Each file loads in one transaction.
- Every row read is either loaded (with its file hash, file name, sheet and row number) or
  kept in ``raw.ingest_quarantine`` with the column and reason that stopped it, so for every
  file ``rows_read = rows_loaded + rows_quarantined`` (blank and totals rows are not data:
  they are counted apart, as ``rows_skipped``).
- A file that cannot be read at all is recorded as failed with a clear error; the others load.

This module reads and parses; sources/load.py writes, in one transaction per file.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sources.contracts import SourceContract
from sources.file_outcomes import FileOutcome, SheetOutcome
from sources.landing import (
    LandingBoundary,
    file_sha256,
    fingerprint,
    landing_files,
    link_sha256,
    settled,
)
from sources.layout import best_candidates, find_layout, has_labels_row
from sources.load import (
    ParsedSheet,
    date_arrival,
    ledger_fingerprint,
    load_file,
    loaded_fingerprints,
    names_loaded_with,
    record_once,
    remember_fingerprint,
    withdraw_failed_files,
)
from sources.mappings import MAPPINGS_DIR, mapping_for, propose_mapping
from sources.raw_tables import ensure_tables
from sources.readers import UnreadableFileError, read_sheets, unstage
from sources.resolve import GeographyResolver
from sources.settings import file_limits
from sources.sheet_rows import SheetNames, classify_rows, prepare_values
from sources.transform import parse_staged

# The name of a sheet that summarises the others (a pivot, totals per district, a chart).
SUMMARY_SHEET_NAME = re.compile(r"สรุป|summary|pivot|dashboard|chart|กราฟ|แผนภูมิ", re.IGNORECASE)


@dataclass(frozen=True)
class HeaderMappings:
    """Where mapping files are read from, and where proposed ones are written (None: not)."""

    folder: Path = MAPPINGS_DIR
    proposals: Path | None = None


def ingest_folder(
    connection: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    contract: SourceContract,
    key: bytes,
    resolver: GeographyResolver,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
    mappings: HeaderMappings = HeaderMappings(),
    settle_seconds: float = 0.0,
) -> list[FileOutcome]:
    """Ingest every file of one source kind; a bad file never stops the others. A file changed
    less than `settle_seconds` ago is still arriving: it is left for a later run. A loaded file
    whose size and modification time are those it was read with is unchanged, and is neither
    read nor hashed again (as rsync and the landing sensor judge it), so a run where nothing
    new landed does not grow with the files already loaded."""
    ensure_tables(connection, contract)
    files = landing_files(landing_dir, contract.kind)
    boundary = LandingBoundary(landing_dir)
    loaded = loaded_fingerprints(connection, contract.kind)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="roijai-ingest-") as work_dir:
        for number, path in enumerate(files, start=1):
            if boundary.outside(path):
                outcome = refuse_link(connection, path, contract)
            elif not settled(path, settle_seconds):
                outcome = FileOutcome(path.name, "", contract.kind, status="arriving")
                outcome.error = f"changed less than {settle_seconds:g} s ago: read once settled"
            elif (known := loaded.get(path.name)) and known[:2] == ledger_fingerprint(
                fingerprint(path)
            ):
                outcome = FileOutcome(path.name, known[2], contract.kind, status="unchanged")
            else:
                outcome = ingest_file(
                    connection, path, contract, key, resolver, Path(work_dir), mappings
                )
            outcomes.append(outcome)
            if progress is not None:
                progress(number, len(files), outcome)
    withdraw_failed_files(connection, contract.kind, files)
    return outcomes


def refuse_link(connection, path: Path, contract: SourceContract) -> FileOutcome:
    """Record a link out of the landing folder as failed, without opening its target."""
    outcome = FileOutcome(path.name, link_sha256(path), contract.kind, status="failed")
    outcome.error = f"{path.name}: a link to outside the landing folder, refused (not read)"
    date_arrival(connection, path, outcome)
    record_once(connection, outcome)
    return outcome


# Where DuckDB's CSV reader says it stopped; the rest of its message quotes the line itself.
_DUCKDB_LINE = re.compile(r"\bLine: (\d+)")


def failure_reason(path: Path, error: Exception) -> str:
    """Why a file could not be read, naming the file (and the line, when a reader says which)
    but never quoting its content: readers' own messages quote the offending line, which may
    hold names, citizen IDs or drug answers. UnreadableFileError reasons are ours, data-free."""
    if isinstance(error, UnreadableFileError):
        return str(error)
    if isinstance(error, csv.Error):  # Python's own messages say what, never quote the line
        return f"{path.name}: not a well-formed CSV file ({error})"
    if isinstance(error, duckdb.Error):
        line = _DUCKDB_LINE.search(str(error))
        where = f" at line {line.group(1)}" if line else ""
        return f"{path.name}: DuckDB could not read the file{where} ({type(error).__name__})"
    return f"{path.name}: the file could not be read ({type(error).__name__})"


def ingest_file(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    contract: SourceContract,
    key: bytes,
    resolver: GeographyResolver,
    work_dir: Path,
    mappings: HeaderMappings = HeaderMappings(),
) -> FileOutcome:
    before = fingerprint(path)
    sha256 = file_sha256(path)
    outcome = FileOutcome(path.name, sha256, contract.kind, status="loaded", fingerprint=before)
    date_arrival(connection, path, outcome)
    loaded_as = names_loaded_with(connection, sha256)
    if path.name in loaded_as:
        outcome.status = "unchanged"
        if fingerprint(path) == before:  # not written to while it was hashed
            remember_fingerprint(connection, outcome)
        return outcome
    if loaded_as:
        outcome.status = "duplicate"
        outcome.error = f"same content as {loaded_as[0]}, already loaded"
        record_once(connection, outcome)
        return outcome
    parsed_sheets: list[ParsedSheet] = []
    deadline = ParseDeadline(connection, path)
    try:
        with deadline:
            _parse_file(
                connection, path, contract, key, resolver, work_dir, mappings, outcome,
                parsed_sheets, deadline,
            )  # fmt: skip
    except Exception as error:  # whatever a file does to a reader, the other files go on
        _drop_work_tables(connection, parsed_sheets)
        outcome.status = "failed"
        outcome.error = failure_reason(path, deadline.error() if deadline.passed else error)
        record_once(connection, outcome)
        return outcome
    if fingerprint(path) != before:  # written to while it was read: not loaded, read again
        _drop_work_tables(connection, parsed_sheets)
        outcome.status = "arriving"
        outcome.error = "changed while it was read: read again once settled"
        return outcome
    if any(s.status == "ignored" and s.holds_table for s in outcome.sheets):
        outcome.status = "partial"
    try:
        load_file(connection, contract, outcome, parsed_sheets)
    finally:
        _drop_work_tables(connection, parsed_sheets)
    return outcome


class ParseDeadline:
    """The time a file may take to be read and parsed (ROIJAI_MAX_PARSE_SECONDS): the DuckDB
    statement running at the deadline is interrupted, and the stages in Python check it in
    between, so a file past it fails alone and the next one is read."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path):
        self.path = path
        self.limits = file_limits()
        self.end = time.monotonic() + self.limits.max_parse_seconds
        self.timer = threading.Timer(self.limits.max_parse_seconds, connection.interrupt)

    def __enter__(self) -> ParseDeadline:
        self.timer.start()
        return self

    def __exit__(self, *exception) -> None:
        self.timer.cancel()
        self.timer.join()  # an interrupt never reaches the statements that load the file

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def check(self) -> None:
        if self.passed:
            raise self.error()

    def error(self) -> UnreadableFileError:
        limit = self.limits.setting("max_parse_seconds")
        return UnreadableFileError(self.path, f"reading took longer than {limit} s: stopped")


def _drop_work_tables(connection, parsed_sheets: list[ParsedSheet]) -> None:
    for parsed_sheet in parsed_sheets:
        connection.execute(f"drop view if exists {parsed_sheet.prepared}")
        unstage(connection, parsed_sheet.staged)
        for table in (
            parsed_sheet.parsed,
            f"{parsed_sheet.prepared}_filled",
            f"{parsed_sheet.staged}_kinds",
        ):
            connection.execute(f"drop table if exists {table}")


def _parse_file(
    connection, path, contract, key, resolver, work_dir, mappings, outcome, parsed_sheets, deadline
):
    """Parse every sheet a table fits into ``parsed_sheets``; account for every sheet."""
    folder = path.parent.name if path.parent.name != contract.kind else None
    sheets = read_sheets(path, work_dir)
    for number, sheet in enumerate(sheets):
        deadline.check()
        names = SheetNames(sheet.name, path.stem, folder)
        mapping = mapping_for(contract.kind, path.name, sheet.head(), mappings.folder)
        named = mapping.tables if mapping else None
        layout = find_layout(sheet.head(), contract, names.texts(), named)
        deadline.check()
        if layout is None:
            outcome.sheets.append(_ignored_sheet(sheet, number, contract))
            continue
        staged, prepared, parsed = f"staged_{number}", f"prepared_{number}", f"parsed_{number}"
        kinds = f"{staged}_kinds"
        parsed_sheets.append(ParsedSheet(sheet.name, layout, staged, prepared, parsed))
        malformed = sheet.stage(connection, staged, 0, layout.width)
        parsed_sheets[-1] = dataclasses.replace(parsed_sheets[-1], malformed=malformed)
        facts = classify_rows(connection, staged, kinds, layout)
        prepare_values(connection, staged, kinds, prepared, layout, facts, names)
        parse_staged(connection, prepared, parsed, layout, key, resolver)
        mapping_name = mapping.path.name if mapping else None
        outcome.sheets.append(
            _loaded_sheet(connection, number, parsed_sheets[-1], kinds, mapping_name)
        )
        outcome.rows_skipped += outcome.sheets[-1].rows_skipped
        outcome.unknown_headers += list(layout.unknown)
        outcome.personal_headers += layout.personal
    if not parsed_sheets:
        message = _unrecognised(outcome, contract)
        tables = [(s, o) for s, o in zip(sheets, outcome.sheets, strict=True) if o.holds_table]
        if mappings.proposals is not None and tables:
            sheet = max(tables, key=lambda pair: pair[1].non_blank_rows)[0]
            candidates = best_candidates(sheet.head(), contract)
            table = candidates[0].table if candidates else contract.tables[0].table
            proposal = propose_mapping(
                path, contract.kind, table, candidates, sheet.head(), mappings.proposals
            )
            message += f"; a proposed header mapping is in {proposal}"
        raise UnreadableFileError(path, message)


def _loaded_sheet(connection, position, parsed_sheet: ParsedSheet, kinds_table: str, mapping):
    """A loaded sheet's rows per kind, and its skipped rows: those below its own header that
    are not data (blank, totals, sections, a header repeated). Its malformed lines are rows
    of their own kind (staged blank, quarantined)."""
    layout = parsed_sheet.layout
    rows = connection.execute(
        f"select _kind, count(*), count(*) filter (where _block >= 1 and _kind <> 'data' "
        f"and _row_number - 1 not in (select unnest(?))) from {kinds_table} "
        "where _row_number not in (select unnest(?)) group by 1",
        [list(layout.header_rows), list(parsed_sheet.malformed)],
    ).fetchall()
    kinds = {kind: count for kind, count, _ in rows}
    if parsed_sheet.malformed:
        kinds["malformed"] = len(parsed_sheet.malformed)
    skipped = sum(count for _, _, count in rows)
    header_rows = "-".join(str(i + 1) for i in layout.header_rows)
    columns = {c.name: [layout.headers[p], layout.scores.get(c)] for c, p in layout.columns.items()}
    for column, options in layout.options.items():
        columns[column.name] = [f"{len(options)} option columns", 1.0]
    return SheetOutcome(
        sheet=parsed_sheet.sheet,
        position=position,
        status="loaded",
        non_blank_rows=sum(n for kind, n in kinds.items() if kind != "blank"),
        table=layout.table.table,
        header_rows=header_rows,
        rows_skipped=skipped,
        row_kinds=kinds,
        columns=columns,
        mapping=mapping,
        holds_table=True,
    )


def _ignored_sheet(sheet, position: int, contract: SourceContract) -> SheetOutcome:
    """A sheet no table fits, with its count of non-blank rows and what came closest. A sheet
    with no row of labels at all holds notes, not a table, and one named as a summary
    ('สรุป', 'Summary', 'Pivot') holds figures of the other sheets, not rows of its own: both
    are ignored as such. Any other is a table nothing read (the file is partial)."""
    non_blank = sheet.non_blank_rows()
    if not has_labels_row(sheet.head()):
        reason = "no table: no row of two or more labels (notes only)"
        return SheetOutcome(sheet.name, position, "ignored", non_blank, reason=reason)
    if SUMMARY_SHEET_NAME.search(sheet.name):
        reason = "no rows of its own: a summary sheet (its name says so) of the other sheets"
        return SheetOutcome(sheet.name, position, "ignored", non_blank, reason=reason)
    return SheetOutcome(
        sheet=sheet.name,
        position=position,
        status="ignored",
        non_blank_rows=non_blank,
        holds_table=True,
        reason=f"no header row of a {contract.kind} table ({_closest(sheet.head(), contract)})",
    )


def _closest(rows, contract: SourceContract) -> str:
    """The best header found per column, required columns first, as 'column ~ 'header' 0.42'."""
    candidates = best_candidates(rows, contract)
    if not candidates:
        return "no row of labels in the first rows"
    candidates.sort(key=lambda c: (not c.column.required, -c.score))
    shown = [
        f"{c.column.name}{' (required)' if c.column.required else ''} ~ "
        + (f"{c.header!r} {c.score:.2f}" if c.score > 0 else "no header")
        for c in candidates
        if c.column.required or c.score > 0
    ]
    return "closest: " + "; ".join(shown)


def _unrecognised(outcome: FileOutcome, contract: SourceContract) -> str:
    tables = ", ".join(t.table for t in contract.tables)
    details = " | ".join(f"sheet {s.sheet!r}: {s.reason}" for s in outcome.sheets)
    return f"no sheet has the header row of a {contract.kind} file ({tables}): {details}"
