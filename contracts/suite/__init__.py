"""The contract suite itself: `pytest --pyargs contracts.suite` runs it."""

from pathlib import Path

RUN_CONFIG = Path(__file__).with_name("run.ini")
"""The pytest configuration every run of the suite is given with `-c`."""
PLUGIN_ARGUMENTS = (
    "--disable-plugin-autoload",
    "-p",
    "contracts.pytest_plugin",
    "-p",
    "_hypothesis_pytestplugin",
)
"""pytest arguments loading only the plugins the suite needs (this package's
and Hypothesis's), for the runs the toolkit starts itself (`smtp-contract
run`, `selftest`). Other plugins installed beside it must not change such a
run, nor slow it: importing Schemathesis's alone took a second of CPU."""
