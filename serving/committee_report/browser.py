"""Headless Chromium (Debian's package, which `make system` installs), driven by Playwright:
the one place that starts it. It runs offline with a fresh profile, so a page that needed the
network would show it, and nothing is left behind."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM_PACKAGE = "chromium"
# Flags that work as root in a container: no sandbox (root), no GPU, nothing phoned home.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PAGE_WIDTH = 1100  # CSS pixels: the report's widest layout
FONTS_READY = "document.fonts.ready.then(() => document.fonts.size)"


class ChromiumMissingError(RuntimeError):
    pass


def chromium_executable() -> Path:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise ChromiumMissingError(
            f"Chromium is not installed: run make system (Debian package {CHROMIUM_PACKAGE})"
        )
    return Path(found)


@contextmanager
def chromium_page(width: int = PAGE_WIDTH, height: int = 1400) -> Iterator[Page]:
    """A page of a headless Chromium with no network, closed (and its profile removed)
    afterwards."""
    executable = chromium_executable()
    with (
        tempfile.TemporaryDirectory(prefix="roijai-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=list(CHROMIUM_ARGS),
            offline=True,
            viewport={"width": width, "height": height},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def open_page(page: Page, html: Path) -> None:
    """Load a local HTML file and wait until its fonts are ready."""
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.evaluate(FONTS_READY)


def print_pdf(html: Path, pdf: Path) -> None:
    """Print the page to an A4 PDF, as its print styles lay it out, with bookmarks from its
    headings."""
    with chromium_page() as page:
        open_page(page, html)
        page.pdf(
            path=pdf,
            format="A4",
            prefer_css_page_size=True,
            print_background=True,
            outline=True,
            tagged=True,
        )
