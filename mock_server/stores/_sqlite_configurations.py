"""SQL of the SMTP configurations, for `SqliteStore` (see `stores.sqlite`).

Each function runs inside the caller's transaction, in one session's rows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mock_server.stores._codec import (
    dumps,
    dumps_configuration,
    loads,
    loads_configuration,
)

if TYPE_CHECKING:
    import sqlite3

    from mock_server.domain.configurations import SmtpConfiguration


def rewrite(
    db: sqlite3.Connection,
    session: str,
    configuration: SmtpConfiguration,
    sender_id: str | None,
) -> None:
    if sender_id is None:
        db.execute(
            "UPDATE smtp_configurations SET record = ? WHERE session = ? AND id = ?",
            (dumps_configuration(configuration), session, configuration.id),
        )
        return
    (record,) = db.execute(
        "SELECT record FROM smtp_custom_emails WHERE session = ? AND id = ?",
        (session, sender_id),
    ).fetchone()
    sender = replace(loads(record), configuration=configuration)
    db.execute(
        "UPDATE smtp_custom_emails SET record = ? WHERE session = ? AND id = ?",
        (dumps(sender), session, sender_id),
    )


def default_if_none(
    db: sqlite3.Connection, session: str, configuration: SmtpConfiguration
) -> bool:
    cursor = db.execute(
        "INSERT OR IGNORE INTO smtp_defaults "
        "(session, organization_id, configuration_id) VALUES (?, ?, ?)",
        (session, configuration.organization_id, configuration.id),
    )
    return cursor.rowcount > 0


def set_default(
    db: sqlite3.Connection, session: str, configuration: SmtpConfiguration
) -> None:
    db.execute(
        "INSERT OR REPLACE INTO smtp_defaults "
        "(session, organization_id, configuration_id) VALUES (?, ?, ?)",
        (session, configuration.organization_id, configuration.id),
    )


def forget_default(db: sqlite3.Connection, session: str, configuration_id: str) -> None:
    db.execute(
        "DELETE FROM smtp_defaults WHERE session = ? AND configuration_id = ?",
        (session, configuration_id),
    )


def configurations(
    db: sqlite3.Connection, session: str, condition: str, value: object
) -> list[SmtpConfiguration]:
    query = (
        "SELECT c.id, c.record, e.record, d.configuration_id "
        "FROM smtp_configurations AS c "
        "LEFT JOIN smtp_custom_emails AS e "
        "ON e.session = c.session AND e.id = c.sender_id "
        "LEFT JOIN smtp_defaults AS d "
        "ON d.session = c.session AND d.organization_id = c.organization_id "
        f"WHERE c.session = ? AND {condition} ORDER BY c.seq"
    )
    found = []
    for config_id, own, sender, default in db.execute(query, (session, value)):
        if own is not None:
            configuration = loads_configuration(own)
        elif sender is not None:
            configuration = loads(sender).configuration
        else:
            continue
        found.append(replace(configuration, default_smtp=default == config_id))
    return found
