"""`dam compliance` as an operator runs it: check and show an asset's findings, accept one, list and
show the packs, save an edited pack (a broken one refused with its reason, exit 2)."""

from __future__ import annotations

import json
import re

from dam_app.db import session_scope
from tests import factories
from tests.cli.test_cli import _dam


def _said(text: str) -> str:
    """Rich wraps long lines at the terminal width; compare the words."""
    return " ".join(text.split())


def test_check_show_accept_and_edit_a_pack(services, admin, tmp_path) -> None:
    with session_scope() as session:
        asset = factories.asset(session, title="Sleep tea", markets=["CN"], copy="国家级配方, lowers blood pressure")
        asset_id = str(asset.id)

    shown = _dam(services, "compliance", "show", asset_id)
    assert shown.returncode == 0 and "not checked yet" in shown.stdout
    checked = _dam(services, "compliance", "check", asset_id)
    assert checked.returncode == 0, checked.stderr
    assert "2 open of 2" in checked.stdout and "国家级" in checked.stdout and "health_claim" in checked.stdout
    claim = re.search(r"#(\d+) CN health_claim", checked.stdout)
    assert claim is not None
    refused = _dam(services, "compliance", "accept", asset_id, claim.group(1), "--reason", "Study on file")
    assert refused.returncode == 2 and "needs its evidence named" in _said(refused.stderr)
    accepted = _dam(
        services,
        "compliance",
        "accept",
        asset_id,
        claim.group(1),
        "--reason",
        "Approved claim",
        "--evidence",
        "CFDA 2026-17",
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "1 open of 2" in _dam(services, "compliance", "show", asset_id).stdout

    packs = _dam(services, "compliance", "packs")
    assert "cn-ad-law-art9 v1 [CN]" in packs.stdout and "health-claims v1 [*]" in packs.stdout
    pack = json.loads(_dam(services, "compliance", "pack", "cn-ad-law-art9").stdout)
    pack["definition"]["exempt_patterns"].append("(国家级")
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    broken = _dam(services, "compliance", "save-pack", "cn-ad-law-art9", str(path))
    assert broken.returncode == 2 and "'(国家级' is not a valid regular expression" in _said(broken.stderr)
    pack["definition"]["exempt_patterns"][-1] = "国家级配方"
    path.write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    saved = _dam(services, "compliance", "save-pack", "cn-ad-law-art9", str(path), "--note", "formula registration")
    assert saved.returncode == 0 and "cn-ad-law-art9 v2 saved" in saved.stdout
    stale = _dam(services, "compliance", "save-pack", "cn-ad-law-art9", str(path))
    assert stale.returncode == 1 and "someone saved it meanwhile" in _said(stale.stderr)
    rechecked = _dam(services, "compliance", "check", asset_id)
    assert "absolute_term" not in rechecked.stdout, rechecked.stdout
    assert "0 open of 1" in rechecked.stdout  # the claim's exception stays
