"""The contract suite itself: `pytest --pyargs contracts.suite` runs it."""
