from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def suite(pytester, monkeypatch):
    """Run the packaged suite as `pytest --pyargs` users do (a subprocess)."""
    # The alternative implementation lives in this repository's tests package.
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    for name in ("SMTP_CONTRACT_URL", "SMTP_CONTRACT_TOKEN", "CI"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, profile: str = "dev", plugins=None):
        """With `plugins` (objects such as `ContractRun`), run in this process."""
        argv = (
            "--pyargs",
            "contracts.suite",
            "-p",
            "no:cacheprovider",
            f"--hypothesis-profile={profile}",
            *args,
        )
        if plugins is not None:
            return pytester.runpytest_inprocess(*argv, plugins=plugins)
        return pytester.runpytest_subprocess(*argv)

    return run


DRIFT_ORACLE = REPO_ROOT / "tests" / "js" / "drift-oracle"


@pytest.fixture(scope="session")
def drift_oracle() -> Path:
    """graphql-inspector installed from its lock file."""
    from tests.js.npm import node_project

    return node_project(DRIFT_ORACLE, "to run graphql-inspector (the oracle)")
