"""Keyed pseudonyms for personal identifiers (PDPA): HMAC-SHA256 with a key kept outside the repo.

The same identifier always gets the same pseudonym under one key, so households can be linked
across survey rounds without the warehouse ever holding the identifier itself.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from functools import cache
from pathlib import Path

from sources.normalize import (
    canonical_citizen_id,
    canonical_citizen_id_sql,
    canonical_identifier,
    canonical_identifier_sql,
)

KEY_VARIABLE = "ROIJAI_PSEUDONYM_KEY"
LOCAL_KEY_FILE = "pseudonym.key"

log = logging.getLogger(__name__)


class MissingKeyError(RuntimeError):
    """Real data without a pseudonym key the operator chose: a key made up now would give a
    re-ingested file new pseudonyms and silently break the links between survey rounds."""


def load_key(data_dir: Path, may_generate: bool) -> bytes:
    """The key from ``ROIJAI_PSEUDONYM_KEY``, else the key file of the data folder; only when
    `may_generate` (the shipped sample) is a missing key file generated, once.

    A generated key is for the sample only: pseudonyms made with it cannot be linked to those
    of any other installation.
    """
    if key := os.environ.get(KEY_VARIABLE):
        return key.encode("utf-8")
    key_file = data_dir / LOCAL_KEY_FILE
    if not key_file.exists() and not may_generate:
        raise MissingKeyError(
            f"{KEY_VARIABLE} is not set and there is no key file {key_file}: real data needs "
            "the installation's own pseudonym key (set the variable, or write the key into "
            "that file), or the same people get other pseudonyms than before"
        )
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    _warn_local_key(key_file)
    return key_file.read_text(encoding="utf-8").strip().encode("utf-8")


@cache
def _warn_local_key(key_file: Path) -> None:
    """Say once per process (not once per asset) that the sample's local key is in use."""
    log.warning(
        "%s is not set: using the local key in %s (fine for the sample, not for real data)",
        KEY_VARIABLE,
        key_file,
    )


def pseudonymize(value: str | None, key: bytes, *, citizen_id: bool = False) -> str | None:
    """HMAC-SHA256 of the canonical identifier (of a citizen ID, with its leading zeros), as
    hex; None for a blank."""
    identifier = canonical_citizen_id(value) if citizen_id else canonical_identifier(value)
    if not identifier:
        return None
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonymize_sql(expression: str, key: bytes, *, citizen_id: bool = False) -> str:
    """``pseudonymize`` as a DuckDB expression: HMAC written as two nested SHA-256 (RFC 2104),
    since DuckDB has no HMAC function offline. The key enters only as its padded XORs."""
    block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    inner_pad = bytes(b ^ 0x36 for b in block).hex()
    outer_pad = bytes(b ^ 0x5C for b in block).hex()
    canonical = canonical_citizen_id_sql if citizen_id else canonical_identifier_sql
    identifier = f"nullif({canonical(expression)}, '')"
    inner = f"sha256(unhex('{inner_pad}') || encode({identifier}))"
    return f"sha256(unhex('{outer_pad}') || unhex({inner}))"
