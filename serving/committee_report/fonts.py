"""The report's Thai font: Laksaman (the free form of TH Sarabun, the Thai government's
document font) from the Debian package fonts-tlwg-laksaman-ttf, which `make system` installs.
It covers Thai and Latin, so one font sets the whole report; the HTML carries it inline
(base64 @font-face), the charts use it by name, and Chromium embeds it in the PDF."""

from __future__ import annotations

import base64
from pathlib import Path

FONT_FAMILY = "Laksaman"
FONT_PACKAGE = "fonts-tlwg-laksaman-ttf"
FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FONT_FILES = {"normal": "Laksaman.ttf", "bold": "Laksaman-Bold.ttf"}  # by CSS font-weight


class FontMissingError(RuntimeError):
    pass


def font_path(weight: str = "normal") -> Path:
    path = FONT_DIR / FONT_FILES[weight]
    if not path.is_file():
        raise FontMissingError(
            f"the report's Thai font {path} is not installed: run make system (Debian "
            f"package {FONT_PACKAGE})"
        )
    return path


def font_face_css() -> str:
    """@font-face rules with the font files inline: the page needs no network or local font."""
    rules = []
    for weight in FONT_FILES:
        data = base64.b64encode(font_path(weight).read_bytes()).decode("ascii")
        rules.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; "
            f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
        )
    return "\n".join(rules)
