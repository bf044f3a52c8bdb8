from __future__ import annotations

import pytest
from click.testing import CliRunner

from contracts.cli.commands import main
from contracts.client.in_process import IN_PROCESS_URL, import_app, in_process_target
from contracts.config import make_config
from contracts.errors import ConfigError


def test_a_factory_is_called_and_served_in_process():
    target = in_process_target(
        make_config(app="tests.contracts.mutant_apps:port_as_number"),
        token=None,
        max_requests=1,
    )

    exchange = target.post({"query": "{ __typename }"})

    assert (target.url, exchange.status, target.sent) == (IN_PROCESS_URL, 200, 1)


@pytest.mark.parametrize("path", ["tests.contracts.no_such_module:app", "json:nope"])
def test_an_app_that_cannot_be_imported_is_a_config_error(path):
    with pytest.raises(ConfigError, match=f"cannot import '{path}'"):
        import_app(path)


def test_a_callable_without_a_readable_signature_is_called_as_a_factory():
    # inspect.signature cannot read dict's; it is not taken for an ASGI app.
    assert import_app("builtins:dict") == {}


def test_diff_reports_an_app_that_cannot_be_imported_as_a_usage_error():
    result = CliRunner().invoke(main, ["diff", "--app", "json:nope"])

    assert result.exit_code == 2
    assert "cannot import 'json:nope'" in result.output
