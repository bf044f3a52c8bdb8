from __future__ import annotations

from types import SimpleNamespace

from contracts.suite import _machine as stateful


class RecordingApi:
    """Just enough of ContractApi for the read-back invariant."""

    def __init__(self) -> None:
        self.config = SimpleNamespace(org="1", other_org=None)
        self.capabilities = SimpleNamespace(read_back=True)
        self.read: list[str] = []
        self.stored: dict[str, dict[str, str]] = {}

    def read_back(self, sender_id: str) -> dict[str, str]:
        self.read.append(sender_id)
        return self.stored[sender_id]


def test_each_step_reads_back_the_next_sender():
    api = RecordingApi()
    machine = stateful.SenderMachine(api)  # type: ignore[arg-type]
    for number in range(3):
        sender = {"id": f"id-{number}"}
        machine.model[("1", f"a{number}@example.com")] = sender
        api.stored[sender["id"]] = sender

    for _ in range(6):
        machine.created_senders_read_back_unchanged()

    assert api.read == ["id-0", "id-1", "id-2", "id-0", "id-1", "id-2"]
