from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from mock_server import create_app
from mock_server.graphql.example import EXAMPLE_VARIABLES
from mock_server.web.graphiql_page import (
    ASSETS_DIR,
    ASSETS_URL,
    CACHE_CONTROL,
    CDN_URL,
    GRAPHIQL_PACKAGE,
    GRAPHIQL_VERSION,
    INTEGRITY,
    SCRIPT,
    STYLE,
    GraphiQLAssets,
    graphiql_html,
)

pytestmark = pytest.mark.anyio

TOKEN = "graphiql-t0ken"
HTML = {"accept": "text/html"}
LOCK_FILE = Path(__file__).parents[2] / "graphiql" / "package-lock.json"


@pytest.fixture
def assets(tmp_path) -> GraphiQLAssets:
    """A folder holding every file the page names (and one it does not)."""
    for name in INTEGRITY:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {name} */")
    (tmp_path / "LICENSE").write_text("MIT")
    return GraphiQLAssets(tmp_path)


@pytest.fixture
def absent(tmp_path) -> GraphiQLAssets:
    return GraphiQLAssets(tmp_path / "empty")


async def test_page_loads_its_files_from_the_mock_itself(client_for, assets):
    async with client_for(create_app(graphiql_assets=assets)) as client:
        page = await client.get("/graphql", headers=HTML)

    assert page.status_code == 200
    assert f'src="{ASSETS_URL}/{SCRIPT}"' in page.text
    assert f'href="{ASSETS_URL}/{STYLE}"' in page.text
    assert "unpkg" not in page.text
    assert 'class=""' in page.text  # the notice stays hidden


async def test_page_opens_on_the_documented_mutation_and_its_variables(
    client_for, assets
):
    async with client_for(create_app(graphiql_assets=assets)) as client:
        page = await client.get("/graphql", headers=HTML)

    options = _options(page.text)
    assert "mutation CreateSmtpCustomEmailWithConfiguration" in options["initialQuery"]
    assert json.loads(options["initialVariables"]) == EXAMPLE_VARIABLES
    assert options["initialHeaders"] == ""
    assert options["shouldPersistHeaders"] is False


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        (SCRIPT, "text/javascript; charset=utf-8"),
        (STYLE, "text/css; charset=utf-8"),
        ("monacoeditorwork/json.worker.bundle.js", "text/javascript; charset=utf-8"),
    ],
)
async def test_files_are_served_with_their_type_and_a_long_cache(
    client_for, assets, name, media_type
):
    async with client_for(create_app(graphiql_assets=assets)) as client:
        response = await client.get(f"{ASSETS_URL}/{name}")

    assert response.status_code == 200
    assert response.text == f"/* {name} */"
    assert response.headers["content-type"] == media_type
    assert response.headers["cache-control"] == CACHE_CONTROL
    assert "max-age=31536000" in CACHE_CONTROL


@pytest.mark.parametrize(
    "name", ["LICENSE", "missing.js", "../graphiql_page.py", "%2e%2e/app.py"]
)
async def test_only_the_named_files_are_served(client_for, assets, name):
    async with client_for(create_app(graphiql_assets=assets)) as client:
        response = await client.get(f"{ASSETS_URL}/{name}")

    assert response.status_code == 404


async def test_without_its_files_the_page_says_so_and_uses_the_cdn(client_for, absent):
    async with client_for(create_app(graphiql_assets=absent)) as client:
        page = await client.get("/graphql", headers=HTML)
        script = await client.get(f"{ASSETS_URL}/{SCRIPT}")

    assert page.status_code == 200
    assert "make graphiql" in page.text
    assert 'class=" shown"' in page.text
    assert f'src="{CDN_URL}/{SCRIPT}" integrity="{INTEGRITY[SCRIPT]}"' in page.text
    assert f"{GRAPHIQL_PACKAGE}@{GRAPHIQL_VERSION}" in CDN_URL
    assert script.status_code == 404


async def test_with_a_token_the_page_and_its_files_are_public_but_not_the_api(
    client_for, assets
):
    app = create_app(token=TOKEN, graphiql_assets=assets)
    async with client_for(app) as client:
        page = await client.get("/graphql", headers=HTML)
        script = await client.get(f"{ASSETS_URL}/{SCRIPT}")
        api = await client.post("/graphql", json={"query": "{ __typename }"})

    assert (page.status_code, script.status_code, api.status_code) == (200, 200, 401)
    headers = json.loads(_options(page.text)["initialHeaders"])
    assert headers == {"Authorization": "Bearer <your --token>"}
    assert TOKEN not in page.text


async def test_no_graphiql_turns_the_page_and_its_files_off(client_for, assets):
    async with client_for(create_app(graphiql=False, graphiql_assets=assets)) as client:
        page = await client.get("/graphql", headers=HTML)
        script = await client.get(f"{ASSETS_URL}/{SCRIPT}")

    assert page.status_code == 400
    assert page.headers["content-type"] == "application/json"
    assert "errors" in page.json()
    assert script.status_code == 404


async def test_no_graphiql_with_a_token_leaves_no_public_page(client_for, assets):
    app = create_app(token=TOKEN, graphiql=False, graphiql_assets=assets)
    async with client_for(app) as client:
        page = await client.get("/graphql", headers=HTML)
        script = await client.get(f"{ASSETS_URL}/{SCRIPT}")

    assert (page.status_code, script.status_code) == (401, 401)


def test_page_options_cannot_close_the_script_element(assets):
    page = graphiql_html(
        assets, query="# </script><script>alert(1)", variables="{}", headers=""
    )

    assert "</script><script>alert(1)" not in page
    assert _options(page)["initialQuery"] == "# </script><script>alert(1)"


def test_pinned_version_is_the_one_in_the_lock_file():
    lock = json.loads(LOCK_FILE.read_text())
    entry = lock["packages"][f"node_modules/{GRAPHIQL_PACKAGE}"]

    assert entry["version"] == GRAPHIQL_VERSION
    assert entry["integrity"].startswith("sha512-")


@pytest.mark.skipif(
    not GraphiQLAssets().present(),
    reason=f"GraphiQL's files are not in {ASSETS_DIR} (run `make graphiql`)",
)
@pytest.mark.parametrize("name", sorted(INTEGRITY))
def test_installed_files_match_the_pinned_integrity(name):
    digest = hashlib.sha384((ASSETS_DIR / name).read_bytes()).digest()

    assert f"sha384-{base64.b64encode(digest).decode()}" == INTEGRITY[name]


def _options(page: str) -> dict[str, Any]:
    start = page.index("var options = ") + len("var options = ")
    line = page[start : page.index("\n", start)].rstrip(";")
    return json.loads(line)  # type: ignore[no-any-return]
