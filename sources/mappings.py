"""Header mappings: for a form (or any file) whose headers the vocabulary does not recognise,
the data team names the headers of its columns in a small YAML file, with no code change.

A mapping (``sources/mappings/*.yml``, see the README there) applies to a file when the file's
name matches one of its ``file_name`` patterns, or when its first rows hold one of its
``form_version`` or ``form_id`` values (KoboToolbox ``__version__``, ODK ``FormVersion``, the
form id). The headers it names are taken as written; the others are still scored.

When a file cannot be recognised, ``propose_mapping`` writes a mapping for a person to review,
correct and commit: per contract column, the best header found and its score.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from sources.layout import MATCH_THRESHOLD, Candidate

MAPPINGS_DIR = Path(__file__).with_name("mappings")
# Headers whose values identify a survey form's version or id in KoboToolbox and ODK exports.
FORM_MARKERS = ("__version__", "formversion", "_xform_id_string", "formid", "_version_")


@dataclass(frozen=True)
class Mapping:
    path: Path
    kind: str
    file_names: tuple[str, ...]
    form_values: frozenset[str]
    tables: dict[str, dict[str, str]]  # table -> contract column -> header as written

    def applies_to(self, file_name: str, rows: list[list[str | None]]) -> bool:
        if any(fnmatch.fnmatch(file_name.lower(), p.lower()) for p in self.file_names):
            return True
        return bool(self.form_values & {c for row in rows for c in row if c is not None})


@cache
def load_mappings(folder: Path = MAPPINGS_DIR) -> tuple[Mapping, ...]:
    """Every mapping in a folder; a malformed one stops the load with the file named."""
    mappings = []
    for path in sorted(folder.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        try:
            match = spec.get("match") or {}
            values = [*match.get("form_version", ()), *match.get("form_id", ())]
            tables = {
                str(table): {str(c): str(h) for c, h in (columns or {}).items() if h}
                for table, columns in (spec.get("tables") or {}).items()
            }
            mappings.append(
                Mapping(
                    path,
                    str(spec["kind"]),
                    tuple(str(p) for p in match.get("file_name", ())),
                    frozenset(str(v) for v in values),
                    tables,
                )
            )
        except (KeyError, AttributeError, TypeError) as error:
            raise ValueError(f"{path}: not a header mapping ({error})") from None
    return tuple(mappings)


def mapping_for(
    kind: str, file_name: str, rows: list[list[str | None]], folder: Path = MAPPINGS_DIR
) -> Mapping | None:
    """The first mapping of this source kind that applies to a file, if any."""
    return next(
        (m for m in load_mappings(folder) if m.kind == kind and m.applies_to(file_name, rows)),
        None,
    )


def form_values(rows: list[list[str | None]]) -> list[str]:
    """The form version or id values in a sheet's first rows (under their Kobo/ODK headers)."""
    for index, row in enumerate(rows):
        keys = [(cell or "").strip().lower() for cell in row]
        positions = [i for i, key in enumerate(keys) if key in FORM_MARKERS]
        if positions:
            values = {r[i] for r in rows[index + 1 :] for i in positions if i < len(r) and r[i]}
            return sorted(values)
    return []


def propose_mapping(
    path: Path,
    kind: str,
    table: str,
    candidates: list[Candidate],
    rows: list[list[str | None]],
    folder: Path,
) -> Path:
    """Write a mapping for a file no table fits: the best header per column, to be checked by
    a person (a header below the match threshold is left commented out), then moved into
    sources/mappings/ and committed."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{path.stem}.yml"
    versions = form_values(rows)
    lines = [
        f"# Proposed header mapping for {path.name} ({kind}): review every line, correct it,",
        "# then move this file to sources/mappings/ and commit it. Scores are how well each",
        "# header matched the column's vocabulary (1 = the same words); commented lines had",
        "# no convincing header: name it, or leave the column out.",
        f"kind: {kind}",
        "match:",
        f"  file_name: [{_quote(path.name)}]",
    ]
    if versions:
        lines.append(f"  form_version: [{', '.join(_quote(v) for v in versions)}]")
    lines += ["tables:", f"  {table}:"]
    for candidate in candidates:
        required = " (required)" if candidate.column.required else ""
        if candidate.header and candidate.score > 0:
            entry = f"{candidate.column.name}: {_quote(candidate.header)}"
            note = f"  # score {candidate.score:.2f}{required}"
            confident = candidate.score >= MATCH_THRESHOLD
            lines.append(f"    {'' if confident else '# '}{entry}{note}")
        else:
            lines.append(f"    # {candidate.column.name}:  # no header found{required}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
