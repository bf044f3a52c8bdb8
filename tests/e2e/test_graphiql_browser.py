"""GraphiQL in a real browser with no internet access (#16)."""

from __future__ import annotations

import json
import re
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest

from contracts.documented import DOCUMENTED_OPERATION, SCENARIO_B_VARIABLES
from mock_server.web.graphiql_page import ASSETS_URL, GraphiQLAssets
from tests.e2e.browser import chromium
from tests.e2e.conftest import TOKEN, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LOAD_BUDGET_S = 20.0
"""Generous on 2 shared cores; measured about 1.7 s on an idle one."""
ANSWER_TIMEOUT_MS = 15_000
EXECUTE = ".graphiql-execute-button"
RESPONSE = ".graphiql-response"

# Their subprocesses run code other tests measure (CONTRIBUTING.md, "Coverage").
pytestmark = [
    pytest.mark.no_cover_subprocesses,
    pytest.mark.skipif(
        not GraphiQLAssets().present(),
        reason="GraphiQL's files are not installed (run `make graphiql`, needs npm)",
    ),
]


def test_graphiql_runs_the_documented_mutation_offline(tmp_path, capsys):
    env = {"SMTP_MOCK_TOKEN": ""}
    with running_server(tmp_path, env=env) as server, chromium(tmp_path) as browser:
        page = browser.page
        with browser.screenshot_on_failure():
            seconds = open_graphiql(page, server.url)

            editor = text_of(page, ".graphiql-query-editor")
            assert "mutation CreateSmtpCustomEmailWithConfiguration" in editor
            assert "createSmtpCustomEmailWithConfiguration(input: $input)" in editor

            first = run_operation(page, '"port": "25"')
            sender = first["data"]["createSmtpCustomEmailWithConfiguration"]
            assert sender["smtpCustomEmail"]["smtpConfiguration"]["port"] == "25"
            assert UUID.match(sender["smtpCustomEmail"]["id"])

            second = run_operation(page, "RECORD_INVALID")
            error = second["errors"][0]
            assert error["extensions"]["code"] == "RECORD_INVALID"
            assert error["extensions"]["field"] == "emailAddress"
            assert second["data"]["createSmtpCustomEmailWithConfiguration"] is None

            assert browser.outside_requests == []
            assert seconds < LOAD_BUDGET_S
    # The figures the closing note quotes, shown by every run.
    with capsys.disabled():
        sys.stdout.write(
            f"\n[graphiql offline] ready in {seconds:.2f} s; "
            f"the browser showed: {json.dumps(first)}\n"
        )


def test_graphiql_files_come_typed_and_cacheable_from_the_mock(tmp_path):
    env = {"SMTP_MOCK_TOKEN": ""}
    with running_server(tmp_path, env=env) as server, chromium(tmp_path) as browser:
        answers: dict[str, dict[str, str]] = {}
        browser.page.on(
            "response",
            lambda response: (
                answers.update({response.url: response.headers})
                if ASSETS_URL in response.url
                else None
            ),
        )
        with browser.screenshot_on_failure():
            open_graphiql(browser.page, server.url)

    scripts = [url for url in answers if url.endswith(".js")]
    assert len(scripts) == 4  # the bundle and three editor workers
    for url, headers in answers.items():
        expected = "text/css" if url.endswith(".css") else "text/javascript"
        assert headers["content-type"] == f"{expected}; charset=utf-8", url
        assert "immutable" in headers["cache-control"], url


def test_with_a_token_graphiql_works_once_the_header_is_set(tmp_path):
    with running_server(tmp_path) as server, chromium(tmp_path) as browser:
        page = browser.page
        with browser.screenshot_on_failure():
            open_graphiql(page, server.url)

            # The 401 body has the real API's shape (title and detail, no
            # message), which GraphiQL's fetcher shows as `"errors": [{}]`.
            refused = run_operation(page, '"errors"', shows_all=False)
            assert refused["errors"][0]["title"] == "Unauthorized"

            set_headers(page, {"Authorization": f"Bearer {TOKEN}"})
            created = run_operation(page, '"port": "25"')
            sender = created["data"]["createSmtpCustomEmailWithConfiguration"]
            assert UUID.match(sender["smtpCustomEmail"]["id"])
            assert browser.outside_requests == []


def open_graphiql(page: Page, url: str) -> float:
    """Load the page; return the seconds until the mutation can be run."""
    started = time.monotonic()
    page.goto(url)
    page.locator(EXECUTE).wait_for(timeout=LOAD_BUDGET_S * 1000)
    page.get_by_text("createSmtpCustomEmailWithConfiguration(input").wait_for()
    return time.monotonic() - started


def run_operation(page: Page, expected: str, *, shows_all: bool = True) -> Any:
    """Press run and wait until the response pane shows `expected`.

    Returns the JSON the browser received. Monaco wraps and virtualises what
    it shows, so the pane is checked for its text and the network gives the
    structure.
    """
    # Only the run's own answer: GraphiQL's introspection may still be going.
    with page.expect_response(_is_the_mutations_answer) as answer:
        page.locator(EXECUTE).click()
    page.locator(RESPONSE).filter(has_text=expected).wait_for(timeout=ANSWER_TIMEOUT_MS)
    body = answer.value.json()
    # Every string received is shown (ids, port, message, code, field); long
    # lines wrap in the pane, so compare without white space.
    shown = re.sub(r"\s", "", text_of(page, RESPONSE))
    for value in _leaves(body) if shows_all else []:
        if isinstance(value, str):
            assert re.sub(r"\s", "", json.dumps(value)) in shown, (value, shown)
    return body


def _is_the_mutations_answer(response: Response) -> bool:
    request = response.request
    if request.method != "POST" or not response.url.endswith("/graphql"):
        return False
    return "mutation " in json.loads(request.post_data or "{}").get("query", "")


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def text_of(page: Page, selector: str) -> str:
    """An editor's text as shown (Monaco renders spaces as no-break spaces)."""
    return page.locator(selector).inner_text().replace("\xa0", " ")


def set_headers(page: Page, headers: dict[str, str]) -> None:
    """Replace the Headers pane's text, as a user pasting it would."""
    page.get_by_role("button", name="Headers").click()
    editor = page.locator(".graphiql-editor-tool .graphiql-editor").last
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(json.dumps(headers))
    # Monaco may have auto-closed quotes or braces after the cursor.
    page.keyboard.press("Shift+Control+End")
    page.keyboard.press("Delete")


CROSS_ORIGIN_CREATE = """
async ([url, token, query, variables]) => {
  const response = await fetch(url, {
    method: "POST",
    headers: {"content-type": "application/json", authorization: `Bearer ${token}`},
    body: JSON.stringify({query, variables}),
  });
  return {
    status: response.status,
    correlationId: response.headers.get("x-correlation-id"),
    body: await response.json(),
  };
}
"""


def test_a_page_on_another_origin_gets_its_answer_and_correlation_id(tmp_path):
    """A frontend's dev server on another port calls the mock with a token."""
    with (
        running_server(tmp_path) as api,
        running_server(tmp_path, env={"SMTP_MOCK_TOKEN": ""}) as other_origin,
        chromium(tmp_path) as browser,
    ):
        page = browser.page
        with browser.screenshot_on_failure():
            page.goto(other_origin.url.replace("/graphql", "/__mock/health"))
            answer = page.evaluate(
                CROSS_ORIGIN_CREATE,
                [api.url, TOKEN, DOCUMENTED_OPERATION, SCENARIO_B_VARIABLES],
            )
            log = api.log_with("POST /graphql 200 op=")

    assert answer["status"] == 200
    sender = answer["body"]["data"]["createSmtpCustomEmailWithConfiguration"]
    assert sender["smtpCustomEmail"]["smtpConfiguration"]["port"] == "25"
    assert UUID.match(answer["correlationId"])
    # The browser let the page read the answer and the exposed header (with
    # request interception on, Playwright answers the preflight itself).
    assert "POST /graphql 200 op=CreateSmtpCustomEmailWithConfiguration" in log
    assert browser.outside_requests == []
