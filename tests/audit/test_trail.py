"""The audit trail: approvals, exceptions, rights changes and overrides, newest first, filtered by
kind, person, asset and dates; a reviewer reads only their markets' assets; the CSV cannot carry a
spreadsheet formula; admins change a market's required stages (audited) and its assets are re-judged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from dam_app import spreadsheet
from dam_app.accounts.principal import PermissionDenied
from dam_app.audit import trail
from dam_app.catalog.models import Market
from dam_app.errors import Invalid
from dam_app.review import service as review_service
from dam_app.rights import guard, policy, verdicts
from dam_app.rights import service as rights_service
from dam_app.rights.models import RightsRecordIn
from tests import factories


def test_the_trail_filters_scopes_pages_and_exports(tx: Session) -> None:
    admin = factories.admin(tx)
    na_reviewer = factories.user(tx, role="reviewer", regions=["NA"], email="lena@example.com").principal
    cn_reviewer = factories.user(tx, role="reviewer", regions=["CN"], email="wei@example.com").principal
    na_asset = factories.asset(tx, markets=["NA"], title="Trail runner")
    cn_asset = factories.asset(tx, markets=["CN"], title="Silk mask")
    review_service.record_decision(
        session=tx, principal=na_reviewer, asset_id=na_asset.id, market="NA", stage="legal", decision="rejected",
        note="=HYPERLINK(\"http://evil\")",
    )  # fmt: skip
    review_service.record_decision(
        session=tx, principal=cn_reviewer, asset_id=cn_asset.id, market="CN", stage="legal", decision="approved"
    )
    ended = RightsRecordIn(licence_source="Getty", licensed_markets=["NA"], licence_end=datetime.now(UTC))
    rights_service.save_record(session=tx, principal=na_reviewer, asset_id=na_asset.id, data=ended)
    assert na_asset.current_version_id is not None
    guard.guard_download(session=tx, principal=admin, version_id=na_asset.current_version_id, override="Archive")

    everything = trail.page(session=tx, principal=admin, filt=trail.TrailFilter())
    labels = [r.label for r in everything.rows]
    assert labels[:4] == ["downloaded a blocked original", "saved a rights record", "approved", "rejected"]
    rejected = everything.rows[3]
    assert (rejected.actor, rejected.asset_title) == ("lena@example.com", "Trail runner")
    assert "market: NA" in rejected.summary and "stage: legal" in rejected.summary
    assert "Getty, NA, until" in everything.rows[1].summary

    def rows(principal, **filt) -> list[str]:
        return [r.label for r in trail.page(session=tx, principal=principal, filt=trail.TrailFilter(**filt)).rows]

    assert rows(na_reviewer) == ["downloaded a blocked original", "saved a rights record", "rejected"]  # NA only
    assert rows(cn_reviewer) == ["approved"]
    assert rows(admin, kinds=["approval"]) == ["approved", "rejected"]
    assert rows(admin, actor="LENA") == ["saved a rights record", "rejected"]
    assert rows(admin, asset_id=cn_asset.id) == ["approved"]
    assert rows(admin, kinds=["override"], asset_id=na_asset.id) == ["downloaded a blocked original"]
    assert rows(admin, since=datetime.now(UTC) + timedelta(hours=1)) == []
    first = trail.page(session=tx, principal=admin, filt=trail.TrailFilter(kinds=["approval", "rights"]), limit=2)
    assert first.next_before is not None and len(first.rows) == 2
    rest = trail.page(
        session=tx, principal=admin, filt=trail.TrailFilter(kinds=["approval", "rights"]), before=first.next_before
    )
    assert [r.label for r in rest.rows] == ["rejected"] and rest.next_before is None

    with pytest.raises(Invalid, match="unknown kind"):
        rows(admin, kinds=["gossip"])
    with pytest.raises(Invalid, match="before 'until'"):
        rows(admin, since=datetime.now(UTC), until=datetime.now(UTC) - timedelta(days=1))
    with pytest.raises(PermissionDenied, match="reviewers and admins"):
        rows(factories.user(tx, role="viewer", regions=["NA"]).principal)

    @contextmanager
    def this_session() -> Iterator[Session]:
        yield tx

    exported = "".join(trail.export(principal=na_reviewer, filt=trail.TrailFilter(), sessions=this_session))
    table = list(csv.reader(io.StringIO(exported)))
    assert table[0] == list(trail.CSV_HEADER) and len(table) == 4
    assert table[3][2] == "rejected" and "note: =HYPERLINK" in table[3][5]  # inside the cell, not at its start
    assert spreadsheet.csv_line(("=1+1", "-2", "@x", "ok")) == "'=1+1,'-2,'@x,ok\r\n"


def test_an_admin_changes_a_markets_required_stages_and_its_assets_are_judged_again(tx: Session) -> None:
    admin = factories.admin(tx)
    reviewer = factories.user(tx, role="reviewer", regions=["JP"]).principal
    asset = factories.asset(tx, markets=["JP"])
    review_service.record_decision(
        session=tx, principal=reviewer, asset_id=asset.id, market="JP", stage="legal", decision="approved"
    )
    verdicts.refresh(session=tx, asset_id=asset.id)
    with pytest.raises(PermissionDenied):
        policy.set_review_stages(session=tx, principal=reviewer, code="JP", stages=["legal"])
    with pytest.raises(Invalid, match="unknown review stage"):
        policy.set_review_stages(session=tx, principal=admin, code="JP", stages=["ceo"])
    with pytest.raises(Invalid, match="at least one"):
        policy.set_review_stages(session=tx, principal=admin, code="JP", stages=[" "])
    assert policy.set_review_stages(session=tx, principal=admin, code="jp", stages=["market", "legal"]) == [
        "legal",
        "market",
    ]
    market = tx.get(Market, "JP")
    assert market is not None and market.review_stages == ["legal", "market"]
    judged = verdicts.refresh(session=tx, asset_id=asset.id) or []
    assert "awaiting market approval" in [r.text for r in judged[0].reasons]
    changed = trail.page(session=tx, principal=admin, filt=trail.TrailFilter()).rows[0]
    assert changed.action == "market.review_stages" and "market: JP" in changed.summary
