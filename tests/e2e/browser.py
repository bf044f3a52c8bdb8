"""Debian's Chromium driven by Playwright, as a frontend developer's browser.

Playwright's wheel carries its driver; the browser is the system's
(`/usr/bin/chromium`), never one `playwright install` downloads. Each browser
gets a fresh profile under the test's folder, and every request to a host other
than 127.0.0.1 is refused and recorded, so a test proves the page needs no
internet access.

A test of the browser's own cross-origin rules passes `foreign_name` instead:
that name resolves to 127.0.0.1 (a foreign origin whose bytes stay on this
machine) and nothing is intercepted, because Playwright answers CORS preflights
itself for intercepted requests and would hide what Chromium decides.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-proxy-server",
]
OFFLINE_RULES = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
"""No name resolves but the local ones: the machine is offline for the page even
where it is not, on top of the recorded and aborted requests."""
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"blob", "data"}


def require_chromium() -> None:
    """Skip the calling test, saying why, when no browser can be driven."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; "
            ".ci/run installs it)"
        )
    pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed"
    )


@dataclass
class Browser:
    """A page in a fresh Chromium profile, with what left 127.0.0.1."""

    page: Page
    screenshot_path: Path
    outside_requests: list[str] = field(default_factory=list)

    @contextlib.contextmanager
    def screenshot_on_failure(self) -> Iterator[None]:
        """Save a screenshot if the block fails, and name it in the failure."""
        try:
            yield
        except Exception as exc:
            self.page.screenshot(path=str(self.screenshot_path), full_page=True)
            raise AssertionError(f"{exc}\nscreenshot: {self.screenshot_path}") from exc


@contextlib.contextmanager
def chromium(folder: Path, *, foreign_name: str | None = None) -> Iterator[Browser]:
    """Headless Chromium with a fresh profile in `folder`; offline but 127.0.0.1.

    With `foreign_name`, that name also resolves to 127.0.0.1 and requests are
    not intercepted (`outside_requests` stays empty; the resolver rules still
    keep every other name unresolvable).
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    rules = OFFLINE_RULES
    if foreign_name is not None:
        rules = f"MAP {foreign_name} 127.0.0.1, {rules}"
    profile = folder / "chromium-profile"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"],
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            browser = Browser(page, folder / "screenshot.png")

            def only_local(route: Route) -> None:
                url = urlsplit(route.request.url)
                if url.scheme in LOCAL_SCHEMES or url.hostname in LOCAL_HOSTS:
                    route.continue_()
                else:
                    browser.outside_requests.append(route.request.url)
                    route.abort("internetdisconnected")

            if foreign_name is None:
                context.route("**/*", only_local)
            yield browser
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
