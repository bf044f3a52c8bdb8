"""Issue #20 in a real browser: which pages can call a running mock.

Debian's Chromium (driven by Playwright, see `tests/e2e/browser.py`) loads a
page from another local port, and the same page under a name that is not
local: `--host-resolver-rules` maps `evil.example` to 127.0.0.1, so the browser
sees a foreign origin while every byte stays on this machine.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from contracts.documented import SCENARIO_A_VARIABLES
from tests.e2e.browser import chromium
from tests.e2e.conftest import Server, running_server
from tests.helpers import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Page

FOREIGN_NAME = "evil.example"
PAGE = b"<!doctype html><title>frontend</title><p>a frontend under test</p>"
# Runs in the page: the status and body of a fetch, or the error it raised.
FETCH = """
async ([url, init]) => {
  try {
    const r = await fetch(url, init);
    return {status: r.status, body: await r.text()};
  } catch (e) {
    return {error: String(e)};
  }
}
"""


class _PageHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the page server's requests are not what the test checks."""


@contextlib.contextmanager
def page_server() -> Iterator[int]:
    """A static page on another 127.0.0.1 port, like a frontend's dev server."""
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _PageHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Page]:
    folder = tmp_path_factory.mktemp("chromium")
    with chromium(folder, foreign_name=FOREIGN_NAME) as opened:
        opened.page.set_default_timeout(15_000)
        yield opened.page


@pytest.fixture(scope="module")
def mock(tmp_path_factory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="module")
def pages() -> Iterator[int]:
    with page_server() as port:
        yield port


def call(browser: Page, server: Server, path: str, **init: Any) -> dict[str, Any]:
    """Fetch `path` of the mock from the page the browser shows."""
    init.setdefault("headers", {})["Authorization"] = f"Bearer {server.token}"
    url = server.url.removesuffix("/graphql") + path
    result: dict[str, Any] = browser.evaluate(FETCH, [url, init])
    return result


def graphql(browser: Page, server: Server) -> dict[str, Any]:
    return call(
        browser,
        server,
        "/graphql",
        method="POST",
        headers={"Content-Type": "application/json"},
        body='{"query": "{ __typename }"}',
    )


def senders(server: Server) -> list[Any]:
    response = httpx.get(
        server.url.removesuffix("/graphql") + "/__mock/state",
        headers={"Authorization": f"Bearer {server.token}"},
    )
    response.raise_for_status()
    found: list[Any] = response.json()["smtpCustomEmails"]
    return found


def seed_one(server: Server) -> None:
    admin = server.url.removesuffix("/graphql") + "/__mock"
    auth = {"Authorization": f"Bearer {server.token}"}
    httpx.post(f"{admin}/reset", headers=auth).raise_for_status()
    body = {"smtpCustomEmails": [SCENARIO_A_VARIABLES]}
    httpx.post(f"{admin}/seed", headers=auth, json=body).raise_for_status()


def test_a_page_from_another_local_port_can_call_the_mock(browser, mock, pages):
    browser.goto(f"http://localhost:{pages}/")

    answer = graphql(browser, mock)
    state = call(browser, mock, "/__mock/state")

    assert answer == {"status": 200, "body": '{"data":{"__typename":"Query"}}'}
    assert state["status"] == 200


def test_a_page_whose_origin_is_not_local_cannot(browser, mock, pages):
    seed_one(mock)
    browser.goto(f"http://{FOREIGN_NAME}:{pages}/")

    answer = graphql(browser, mock)
    state = call(browser, mock, "/__mock/state")
    # A body-less POST needs no preflight: the browser sends it blind.
    call(browser, mock, "/__mock/reset", method="POST", mode="no-cors", headers={})

    assert answer == {"error": "TypeError: Failed to fetch"}
    assert state == {"error": "TypeError: Failed to fetch"}
    assert len(senders(mock)) == 1
    line = "POST /__mock/reset 403 op=- outcome=FORBIDDEN_ORIGIN"
    assert line in mock.log_with(line)


def test_the_same_page_can_once_its_origin_is_named(browser, pages, tmp_path):
    # The control for the test above: the block is the mock's policy, not
    # something Chromium does to this page on its own.
    origin = f"http://{FOREIGN_NAME}:{pages}"
    with running_server(tmp_path, "--cors-origin", origin) as named:
        browser.goto(f"{origin}/")
        answer = graphql(browser, named)

    assert answer["status"] == 200


def test_dns_rebinding_reaches_no_state(browser, mock):
    seed_one(mock)
    port = mock.url.split(":")[-1].removesuffix("/graphql")

    # The attacker's name now resolves to the mock: the page is same-origin.
    browser.goto(f"http://{FOREIGN_NAME}:{port}/__mock/state")

    assert "FORBIDDEN_HOST" in browser.content()
    assert SCENARIO_A_VARIABLES["emailAddress"] not in browser.content()
