"""What became of one landing file and of each of its sheets: the ingest's answer, recorded
in the ledgers (sources/raw_tables.py) and reported by the ingest asset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class SheetOutcome:
    """What became of one sheet (or the one table of a CSV): loaded into a table, or ignored."""

    sheet: str
    position: int
    status: str  # loaded, ignored
    non_blank_rows: int
    table: str | None = None
    header_rows: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    row_kinds: dict[str, int] = field(default_factory=dict)
    columns: dict[str, list] = field(default_factory=dict)
    reason: str | None = None
    mapping: str | None = None  # the header mapping file used, if one was
    holds_table: bool = False  # a loaded sheet, or an ignored one with a row of labels


@dataclass
class FileOutcome:
    file_name: str
    file_sha256: str
    source_kind: str
    # loaded, partial, failed, duplicate, unchanged, or arriving (still changing: not read, not
    # recorded, read by a later run once it has settled)
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    error: str | None = None
    arrived_at: dt.datetime | None = None
    first_seen_at: dt.datetime | None = None
    unknown_headers: list[str] = field(default_factory=list)
    personal_headers: list[str] = field(default_factory=list)
    sheets: list[SheetOutcome] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # hashes of earlier versions
    fingerprint: tuple[int, int] | None = None  # size and modification time (ns) as read

    @property
    def skipped_sheets(self) -> list[str]:
        return [s.sheet for s in self.sheets if s.status == "ignored"]

    def __str__(self) -> str:
        if self.status in ("failed", "duplicate", "unchanged", "arriving"):
            return f"{self.file_name}: {self.status}" + (f" ({self.error})" if self.error else "")
        text = (
            f"{self.file_name}: {self.rows_read} rows read, {self.rows_loaded} loaded, "
            f"{self.rows_quarantined} quarantined"
        )
        unread = [s for s in self.sheets if s.status == "ignored" and s.holds_table]
        if unread:
            text += "; NOT read: " + "; ".join(
                f"sheet {s.sheet!r} ({s.non_blank_rows} non-blank rows: {s.reason})" for s in unread
            )
        return text
