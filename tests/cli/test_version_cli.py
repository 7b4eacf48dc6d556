"""`dam version add` and `dam version restore` as an operator runs them: a real process."""

from __future__ import annotations

from sqlmodel import select

from dam_app.accounts.principal import system_principal
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.notify.models import AlertOutbox
from tests.cli.test_cli import _dam
from tests.conftest import ingest_path


def test_version_add_and_restore(services, tmp_path) -> None:
    first = ingest_path(system_principal(), generate.product_shot(tmp_path / "blue.jpg", "Blue", (40, 110, 220)))
    asset_id = str(first.asset_id)
    red = generate.product_shot(tmp_path / "red.jpg", "Red", (200, 40, 60))

    added = _dam(services, "version", "add", asset_id, str(red), "--note", "red for the sale", "--urgent")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "v1.1 added (red.jpg)"
    with session_scope() as session:
        alerts = session.exec(select(AlertOutbox).where(AlertOutbox.asset_id == first.asset_id)).all()
        assert [(a.title.split(":")[0], a.urgent_markets) for a in alerts if "v1.1" in a.title] == [("Urgent", ["*"])]
    same = _dam(services, "version", "add", asset_id, str(red))
    assert same.returncode == 1 and "not added: identical to v1.1 of this asset" in same.stderr

    restored = _dam(services, "version", "restore", asset_id, "v1.0", "--note", "sale over")
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == "v1.2 added (restored from v1.0)"
    again = _dam(services, "version", "restore", asset_id, "1.0")
    assert again.returncode == 1 and "not restored: identical to the current version v1.2" in again.stderr
    major = _dam(services, "version", "restore", asset_id, "v1.1", "--major")
    assert major.returncode == 0 and major.stdout.strip() == "v2.0 added (restored from v1.1)"

    missing = _dam(services, "version", "restore", asset_id, "v9.9")
    assert missing.returncode == 2 and "no such version" in missing.stderr
    unknown = _dam(services, "version", "add", "not-an-id", str(red))
    assert unknown.returncode == 2 and "no such asset" in unknown.stderr
