"""The landing folder: which files each source kind has, their content hashes, and what is new
since the sensor last looked. The sensor starts a run for a new or changed file, and never
twice for the same content (its run key is the content hash).

Hashing every file on every sensor tick would read gigabytes a minute, so a file is hashed
again only when its size or modification time changed (the state carries them over).
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from sources.contracts import load_contracts


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class LandingBoundary:
    """Tells the files of the landing folder from links that lead outside it (a link, or a
    file under a linked folder, whose target lies outside): those are refused, never read (they
    could expose any file the pipeline's account can read). Each folder is resolved once, and a
    file only when it is a link itself, so a look at 1,000 files costs 1,000 lstat calls."""

    def __init__(self, landing_dir: Path):
        self.root = landing_dir.resolve()
        self._folders_inside: dict[Path, bool] = {}

    def outside(self, path: Path) -> bool:
        inside = self._folders_inside.get(path.parent)
        if inside is None:
            inside = path.parent.resolve().is_relative_to(self.root)
            self._folders_inside[path.parent] = inside
        return not inside or (path.is_symlink() and not path.resolve().is_relative_to(self.root))


def link_sha256(path: Path) -> str:
    """What identifies a refused link in the ledger: where it points, not what it points to."""
    return hashlib.sha256(f"link to {path.readlink()}".encode()).hexdigest()


# Names of files still being written or never meant to be read: hidden files, Excel's lock
# files (~$...), and the temporary names browsers, copy tools and editors write under.
NOT_LANDED = re.compile(
    r"^[.~]|\.(tmp|temp|part|partial|crdownload|download|filepart|swp)$", re.IGNORECASE
)


def fingerprint(path: Path) -> tuple[int, int]:
    """Size and modification time (ns): what changes when a file is written to."""
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def settled(path: Path, settle_seconds: float, now: float | None = None) -> bool:
    """Not changed for `settle_seconds`: a file still being copied in keeps changing."""
    return (now if now is not None else time.time()) - path.lstat().st_mtime >= settle_seconds


def landing_files(landing_dir: Path, kind: str) -> list[Path]:
    """The files of one source kind, and links (to files or folders, which are not followed),
    skipping the names of files not landed (NOT_LANDED)."""
    folder = landing_dir / kind
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink()) and not NOT_LANDED.search(p.name)
    )


@dataclass
class LandingState:
    """Content hashes already seen, and the size, mtime and hash of each file last looked at."""

    seen: set[str] = field(default_factory=set)
    files: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"seen": sorted(self.seen), "files": self.files}

    @classmethod
    def from_json(cls, data: dict | None) -> LandingState:
        data = data or {}
        files = {path: tuple(entry) for path, entry in data.get("files", {}).items()}
        return cls(set(data.get("seen", [])), files)


@dataclass(frozen=True)
class LandingScan:
    new_files: dict[str, str]  # relative path -> content hash, for contents never seen
    files_present: int
    state: LandingState


def scan_landing(landing_dir: Path, state: LandingState, settle_seconds: float) -> LandingScan:
    """The settled files of every source kind whose content is new since `state` (a file
    still changing is looked at again at the next scan)."""
    files = {}
    new_files = {}
    boundary = LandingBoundary(landing_dir)
    for kind in load_contracts():
        for path in landing_files(landing_dir, kind):
            if boundary.outside(path):
                continue  # the run records it as refused; the sensor never reads its target
            if not settled(path, settle_seconds):
                continue
            relative = path.relative_to(landing_dir).as_posix()
            size_and_time = fingerprint(path)
            known = state.files.get(relative)
            # hashed again only when its size or modification time changed
            sha256 = known[2] if known and known[:2] == size_and_time else file_sha256(path)
            files[relative] = (*size_and_time, sha256)
            if sha256 not in state.seen:
                new_files[relative] = sha256
    seen = state.seen | {entry[2] for entry in files.values()}
    return LandingScan(new_files, len(files), LandingState(seen, files))
