from __future__ import annotations

from mock_server.cli import main

main(prog_name="python -m mock_server")
