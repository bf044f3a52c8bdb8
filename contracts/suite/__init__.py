"""The contract suite itself: `pytest --pyargs contracts.suite` runs it."""

from pathlib import Path

RUN_CONFIG = Path(__file__).with_name("run.ini")
"""The pytest configuration every run of the suite is given with `-c`."""
