from __future__ import annotations

import warnings

import pytest

from contracts.client.capabilities import Capabilities, discover
from contracts.client.target import Target
from contracts.errors import ContractError, TokenRejected
from mock_server import create_app, default_schema_path

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2` instead")
    from starlette.testclient import TestClient

URL = "http://127.0.0.1:4000/graphql"


def target_for(app, token=None):
    return Target(TestClient(app, base_url="http://127.0.0.1:4000"), URL, token=token)


FAMILY = {
    "list_configurations": True,
    "create_configuration": True,
    "update_configuration": True,
    "delete_configuration": True,
}


def test_the_default_mock_offers_the_documented_family_only():
    capabilities = discover(target_for(create_app()))

    assert capabilities == Capabilities(introspection=True, **FAMILY)
    assert capabilities.family
    assert capabilities.cleanup == "configuration"


def test_the_mock_operations_add_read_back_list_and_sender_delete():
    capabilities = discover(target_for(create_app(mock_operations=True)))

    assert capabilities == Capabilities(
        introspection=True,
        read_back=True,
        list_by_organization=True,
        delete=True,
        **FAMILY,
    )
    assert capabilities.cleanup == "sender"


def test_a_schema_without_supporting_operations_offers_none(tmp_path):
    sdl = default_schema_path().read_text()
    sdl = sdl.replace("  deleteSmtpConfiguration(", "  removed(").replace(
        "  smtpConfigurations(", "  other("
    )
    path = tmp_path / "schema.graphql"
    path.write_text(sdl)

    capabilities = discover(target_for(create_app(path)))

    assert capabilities.introspection
    assert not capabilities.list_configurations
    assert not capabilities.delete_configuration
    assert not capabilities.family
    assert capabilities.cleanup is None


def test_a_rejected_token_is_reported():
    with pytest.raises(TokenRejected, match="HTTP 401: pass a token"):
        discover(target_for(create_app(token="right")))
    with pytest.raises(TokenRejected, match="set a valid token"):
        discover(target_for(create_app(token="right"), token="wrong"))


def test_a_non_graphql_endpoint_is_reported():
    app = create_app()
    target = Target(
        TestClient(app, base_url="http://127.0.0.1:4000"),
        "http://127.0.0.1:4000/__mock/health",
    )

    with pytest.raises(ContractError, match="without a GraphQL response"):
        discover(target)
