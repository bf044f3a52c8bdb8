"""The tests' npm installs: once per lock file, shared by every checkout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.js.npm import cache_root, node_project


def _project(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True)
    package = {"name": "empty", "version": version, "private": True}
    lock = {
        "name": "empty",
        "version": version,
        "lockfileVersion": 3,
        "requires": True,
        "packages": {"": {"name": "empty", "version": version}},
    }
    (folder / "package.json").write_text(json.dumps(package))
    (folder / "package-lock.json").write_text(json.dumps(lock))
    return folder


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return cache_root()


def test_a_second_checkout_links_the_install_of_the_first(tmp_path, cache):
    first = _project(tmp_path / "one" / "app", "1.0.0")
    second = _project(tmp_path / "two" / "app", "1.0.0")
    # What a checkout from before the cache holds: npm's own folder.
    (second / "node_modules" / "left-over").mkdir(parents=True)

    node_project(first, "for this")
    node_project(second, "for this")

    installs = [p for p in cache.iterdir() if p.is_dir()]
    assert [p.name for p in installs] == [installs[0].name]
    assert installs[0].name.startswith("app-")
    expected = installs[0] / "node_modules"
    assert (first / "node_modules").readlink() == expected
    assert (second / "node_modules").readlink() == expected
    assert expected.is_dir()
    assert not (cache / f"{installs[0].name}.staging").exists()


def test_a_changed_lock_file_is_installed_anew(tmp_path, cache):
    project = _project(tmp_path / "app", "1.0.0")
    node_project(project, "for this")
    before = (project / "node_modules").readlink()

    (project / "package-lock.json").write_text(
        (project / "package-lock.json").read_text().replace("1.0.0", "1.0.1")
    )
    node_project(project, "for this")

    after = (project / "node_modules").readlink()
    assert after != before
    assert before.is_dir()
    assert after.is_dir()


def test_an_install_wiped_through_the_link_is_redone(tmp_path, cache):
    project = _project(tmp_path / "app", "1.0.0")
    node_project(project, "for this")
    cached = (project / "node_modules").readlink()
    # What `npm ci` run by hand in the project does to the linked folder.
    for entry in cached.iterdir():
        entry.unlink()

    node_project(project, "for this")

    assert (project / "node_modules").readlink() == cached
    assert (cached / ".installed-from-lock-file").is_file()
