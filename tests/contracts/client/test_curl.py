from __future__ import annotations

import shutil
import subprocess

import pytest

from contracts.client.curl import curl_command


def test_curl_never_contains_the_token():
    command = curl_command(
        "http://h/graphql", {"query": "{ a }"}, with_token=True, headers={"X": "y"}
    )

    assert command.startswith("curl -sS -X POST http://h/graphql")
    assert '-H "Authorization: Bearer $SMTP_CONTRACT_TOKEN"' in command
    assert "-H 'X: y'" in command
    assert """--data '{"query": "{ a }"}'""" in command


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_curl_reproduces_raw_bodies_exactly():
    body = b'{"a": "x\\ud800 \'quoted\'\n\xff\xef\xbb\xbf"}'
    command = curl_command("http://h/graphql", body, with_token=False)
    quoted = command.split(" --data-binary ", 1)[1]

    printed = subprocess.run(
        ["bash", "-c", f"printf %s {quoted}"], capture_output=True, check=True
    ).stdout

    assert printed == body
