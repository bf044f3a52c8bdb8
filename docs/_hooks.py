"""MkDocs hooks: the generated reference pages, and figures filled in from the code.

Why MkDocs' own `hooks:` and not mkdocs-gen-files or mkdocs-macros: the build
needs two things, pages written by a function (`on_files`, with MkDocs 1.6's
`File.generated`) and text replaced in a page (`on_page_markdown`). Both are
MkDocs events a plain module answers, so a plugin would add a dependency and
its own page syntax for nothing. The work itself is in `docs/_figures.py` and
`docs/_reference.py`, typed and imported by the tests as well.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

# MkDocs puts only this folder on sys.path while it loads a hook; the editable
# install (`make install`) puts the repository there, and this keeps a plain
# `mkdocs build` from a checkout working without it.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

from docs import _figures, _profile_page, _reference  # noqa: E402

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


PAGES = {
    "reference/clauses.md": _reference.clauses_page,
    "reference/behaviour-profile.md": _profile_page.profile_page,
    "reference/error-codes.md": _reference.error_codes_page,
}
"""The pages generated from the code, by their path in the site."""


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    """Add the reference pages generated from the code."""
    from mkdocs.structure.files import File

    for path, write in PAGES.items():
        files.append(File.generated(config, path, content=write()))
    return files


def on_page_markdown(markdown: str, page: Page, **_: Any) -> str:
    """Fill in the page's `{{ figure }}` and `{{ include FILE }}` tokens."""
    from mkdocs.exceptions import PluginError

    try:
        return _figures.render(markdown)
    except (KeyError, ValueError) as exc:
        raise PluginError(f"{page.file.src_uri}: no figure {exc}") from exc
