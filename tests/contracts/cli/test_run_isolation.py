"""`smtp-contract run` leaves the caller's directory as it found it (#29)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_run_ignores_the_callers_pytest_config_and_writes_nothing_there(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    # Had the suite read this file, the run would stop at the unknown option.
    (project / "pytest.ini").write_text("[pytest]\naddopts = --no-such-option\n")
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("CI", None)  # the `dev` profile, which keeps an example database
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("smtp-contract")),
            "run",
            "--",
            "-k",
            "test_omitted_ip_relay_auth_is_false",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "configfile: " in result.stdout
    assert "contracts/suite/run.ini" in result.stdout
    assert "dev/null" not in result.stdout
    # Only the suite's own plugins: pytest lists the installed ones it loaded.
    assert "plugins:" not in result.stdout
    assert "schemathesis" not in result.stdout
    assert sorted(p.name for p in project.iterdir()) == ["pytest.ini"]
    assert (cache / "smtp-contract" / "hypothesis").is_dir()
