"""The GraphiQL page, served with its own scripts so it works offline (#16).

Scripts, styles and editor workers come from the npm package
`@graphql-yoga/graphiql` (one self-contained UMD bundle: React, GraphiQL, the
Monaco editor and its workers, no further CDN import). `make graphiql` copies
its `dist/` into `mock_server/web/graphiql/` (kept out of git, shipped in the
wheel). When that folder is empty the page says so and loads the same pinned
files from a CDN, checked by Subresource Integrity.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from starlette.requests import Request

GRAPHIQL_PACKAGE = "@graphql-yoga/graphiql"
GRAPHIQL_VERSION = "4.5.0"
"""Pinned here for the CDN fallback; `graphiql/package-lock.json` pins the copy."""

ASSETS_DIR = Path(__file__).with_name("graphiql")
ASSETS_URL = f"/graphiql/{GRAPHIQL_VERSION}"
CDN_URL = f"https://unpkg.com/{GRAPHIQL_PACKAGE}@{GRAPHIQL_VERSION}/dist"

SCRIPT = "yoga-graphiql.umd.js"
STYLE = "graphiql.css"
WORKERS = {
    # Monaco's worker label -> file in dist/ (the graphql one really has "..").
    "editorWorkerService": "monacoeditorwork/editor.worker.bundle.js",
    "json": "monacoeditorwork/json.worker.bundle.js",
    "graphql": "monacoeditorwork/graphql.worker..bundle.js",
}
INTEGRITY = {
    SCRIPT: "sha384-/t4fhWxYGaViR67PMxhDacRXghTA/X82HkhLqo1g3mf/YS3U8WQRV4mDYOi+WAwY",
    STYLE: "sha384-Xp/7OLcB0QxJbd7DgYyj2SlhlXcC3CfoZwV0noESXagTOy5SgLd0fvxFirGgDlSe",
    WORKERS["editorWorkerService"]: (
        "sha384-pE2N9HoATIHFXyG+qNs0KfCQYNupaLtNYdrU+207YoYufZkQXiNrxwhjD19bwavY"
    ),
    WORKERS["json"]: (
        "sha384-DWcw3li66h7qm7RgvaRzwTHxNSsmDbhaapFdWTO7qtVLuSCrGXwp0Kg2QIutW7Iu"
    ),
    WORKERS["graphql"]: (
        "sha384-PFVHFyE1C49Jx+IQWrSNUWIDw1b3aaYAoDYJip6kaM+AqrNwvYabc3Vn5oR7bJ5d"
    ),
}
"""SHA-384 of each file of the pinned version, so a CDN cannot swap them."""

CACHE_CONTROL = "public, max-age=31536000, immutable"
"""Asset URLs carry the version, so a browser may keep them for a year."""

MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}

TITLE = "SMTP custom email mock"
ABSENT_NOTICE = (
    "This copy of smtp-mock has no GraphiQL files of its own "
    "(mock_server/web/graphiql/ is empty), so GraphiQL loads from {cdn} and "
    "needs internet access. To serve it offline, run <code>make graphiql</code> "
    "in a checkout with npm, or install the mock from a built wheel."
)


@dataclass(frozen=True)
class GraphiQLAssets:
    """The GraphiQL files this mock can serve itself.

    Args:
        directory: Where `make graphiql` put the package's `dist/` files.
    """

    directory: Path = ASSETS_DIR

    def present(self) -> bool:
        """Whether every file the page needs is in `directory`."""
        return all((self.directory / name).is_file() for name in INTEGRITY)

    def base_url(self) -> str:
        """Where the page loads the files from: this mock, or the CDN."""
        return ASSETS_URL if self.present() else CDN_URL

    def routes(self) -> list[Route]:
        """The route serving the files (none when they are absent)."""
        if not self.present():
            return []
        return [Route(ASSETS_URL + "/{name:path}", self._serve, methods=["GET"])]

    async def _serve(self, request: Request) -> Response:
        name = request.path_params["name"]
        # Only the files the page names: nothing else of the folder is served.
        if name not in INTEGRITY:
            return PlainTextResponse("Not Found", 404)
        path = self.directory / PurePosixPath(name)
        return FileResponse(
            path,
            media_type=MEDIA_TYPES[path.suffix],
            headers={"Cache-Control": CACHE_CONTROL},
        )


def graphiql_html(
    assets: GraphiQLAssets,
    *,
    query: str,
    variables: str,
    headers: str,
) -> str:
    """The GraphiQL page opening on `query` with `variables` and `headers`.

    Args:
        assets: Tells whether the page loads its files from the mock or a CDN.
        query: The operation in the editor.
        variables: JSON text of the variables pane.
        headers: JSON text of the headers pane.
    """
    base = assets.base_url()
    local = base == ASSETS_URL
    notice = "" if local else ABSENT_NOTICE.format(cdn=html.escape(CDN_URL))
    options = {
        "title": TITLE,
        "initialQuery": query,
        "defaultQuery": query,
        "initialVariables": variables,
        "initialHeaders": headers,
        "defaultEditorToolsVisibility": "variables",
        # Headers may hold a token: keep them out of the browser's storage.
        "shouldPersistHeaders": False,
    }
    workers = {label: f"{base}/{name}" for label, name in WORKERS.items()}
    integrity = {f"{base}/{name}": value for name, value in INTEGRITY.items()}
    return _PAGE.format(
        title=TITLE,
        base=base,
        style_integrity=INTEGRITY[STYLE],
        script_integrity=INTEGRITY[SCRIPT],
        notice_class="" if local else " shown",
        notice=notice,
        options=_script_json(options),
        workers=_script_json(workers),
        integrity=_script_json(integrity),
    )


def _script_json(value: object) -> str:
    # Inside <script>, "</" could close the element early; "<\/" is the same JSON.
    return json.dumps(value).replace("</", "<\\/")


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{base}/graphiql.css"
  integrity="{style_integrity}" crossorigin="anonymous">
<style>
body {{ margin: 0; height: 100vh; display: flex; flex-direction: column; }}
#root {{ flex: 1; min-height: 0; }}
#smtp-mock-notice {{ display: none; margin: 0; padding: 8px 16px;
  font: 14px sans-serif; background: #fff3cd; color: #664d03; }}
#smtp-mock-notice.shown {{ display: block; }}
</style>
</head>
<body>
<p id="smtp-mock-notice" class="{notice_class}" role="status">{notice}</p>
<div id="root">Loading {title}…</div>
<script>
var workers = {workers};
var integrity = {integrity};
var workerUrls = {{}};
// Monaco asks for worker URLs; blob URLs work for same-origin and CDN files.
self.MonacoEnvironment = {{
  globalAPI: false,
  getWorkerUrl: function (moduleId, label) {{ return workerUrls[label]; }}
}};
function loadWorkers() {{
  return Promise.all(Object.keys(workers).map(function (label) {{
    var url = workers[label];
    return fetch(url, {{ integrity: integrity[url] }})
      .then(function (response) {{ return response.blob(); }})
      .then(function (blob) {{
        var type = "text/javascript";
        workerUrls[label] = URL.createObjectURL(new Blob([blob], {{ type: type }}));
      }});
  }}));
}}
function scriptFailed() {{
  var root = document.getElementById("root");
  root.textContent = "GraphiQL's script could not be loaded from " +
    "{base}; see the notice above.";
  document.getElementById("smtp-mock-notice").className = "shown";
}}
</script>
<script src="{base}/yoga-graphiql.umd.js" integrity="{script_integrity}"
  crossorigin="anonymous" onerror="scriptFailed()"></script>
<script>
if (self.YogaGraphiQL) {{
  var options = {options};
  options.endpoint = location.pathname;
  // Yoga copies the query into the address; reloading such an address would
  // run it as a GET instead of opening the page.
  options.onEditQuery = function () {{}};
  loadWorkers().catch(function () {{}}).then(function () {{
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), options);
  }});
}}
</script>
</body>
</html>
"""
