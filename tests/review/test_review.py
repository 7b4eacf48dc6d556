"""Approvals: recorded per version x market x stage, kept as the asset's approval states by
triggers, searchable and counted; every bad input refused with a reason and nothing changed."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from dam_app.accounts import service as accounts
from dam_app.accounts.principal import PermissionDenied
from dam_app.assets.models import Asset, Version
from dam_app.assets.service import AssetFilter, AssetNotFound
from dam_app.audit.models import AuditEvent
from dam_app.db import session_scope
from dam_app.review import service as review_service
from dam_app.search import service as search_service
from dam_app.search.models import SearchDocument
from tests import factories
from tests.search.library import build


@pytest.fixture
def library(admin) -> dict[str, uuid.UUID]:
    """The search test library, committed: for the API test, whose requests use their own sessions."""
    with session_scope() as session:
        return build(session)


@pytest.fixture
def tx_library(tx: Session) -> dict[str, uuid.UUID]:
    """The same library inside the test's rolled-back transaction (service tests)."""
    return build(tx)


def _states(session: Session, asset_id: uuid.UUID) -> tuple[list[str], list[str]]:
    session.flush()
    session.expire_all()  # the triggers changed the rows in the database, not these objects
    asset = session.get(Asset, asset_id)
    doc = session.get(SearchDocument, asset_id)
    assert asset is not None and doc is not None
    return asset.approval_states, doc.approval_states


def _decide(session, principal, asset_id, market="NA", stage="legal", decision="approved", note=""):
    return review_service.record_decision(
        session=session,
        principal=principal,
        asset_id=asset_id,
        market=market,
        stage=stage,
        decision=decision,
        note=note,
    )


def test_decisions_become_approval_states_that_search_filters_and_counts(tx: Session, tx_library) -> None:
    banner = tx_library["banner_bf_na"]
    admin = factories.admin(tx)
    assert _states(tx, banner) == (["unreviewed"], ["unreviewed"])
    _, reviewer = factories.user(tx, role="reviewer", regions=["NA"])
    view = _decide(tx, reviewer, banner, note="FTC wording checked")
    assert (view.market, view.stage, view.decision, view.note) == ("NA", "legal", "approved", "FTC wording checked")
    # NA requires legal and brand: one of them is "in review", not "approved".
    assert _states(tx, banner) == (["in_review", "legal_approved"], ["in_review", "legal_approved"])
    _decide(tx, reviewer, banner, stage="brand", decision="approved_with_changes", note="Smaller logo")
    assert _states(tx, banner)[1] == ["approved", "brand_approved", "legal_approved"]

    found = search_service.search(session=tx, principal=admin, query="legal approved black friday banner", exact=True)
    assert [c.label for c in found.parsed.chips if c.kind == "approval"] == ["Legal approved"]
    assert [h.card.asset.id for h in found.hits] == [banner]
    assert ("legal_approved", 1) in found.facets["approval_states"]
    unreviewed = search_service.search(
        session=tx, principal=admin, query="banner", filters=AssetFilter(approvals=["unreviewed"])
    )
    browse = search_service.search(session=tx, principal=admin, query="", filters=AssetFilter(approvals=["approved"]))
    assert banner not in {h.card.asset.id for h in unreviewed.hits} and unreviewed.hits
    assert [h.card.asset.id for h in browse.hits] == [banner] and ("approved", 1) in browse.facets["approval_states"]

    # A market added to the asset awaits its own stages; a market's stages changing relabels by job.
    asset = tx.get(Asset, banner)
    assert asset is not None
    asset.markets = ["NA", "EU"]
    tx.flush()
    assert _states(tx, banner)[1] == ["brand_approved", "in_review", "legal_approved"]
    asset.markets = ["NA"]
    tx.flush()
    assert _states(tx, banner)[1] == ["approved", "brand_approved", "legal_approved"]

    # A brand rejection makes the version rejected, while legal's approval still shows.
    _decide(tx, reviewer, banner, stage="brand", decision="rejected", note="Logo outdated")
    assert _states(tx, banner)[1] == ["legal_approved", "rejected"]
    # The same market and stage again replaces the decision; the audit log keeps both.
    _decide(tx, reviewer, banner, stage="brand", decision="approved")
    assert _states(tx, banner)[1] == ["approved", "brand_approved", "legal_approved"]
    decisions = review_service.approvals_for(session=tx, principal=reviewer, asset_id=banner)
    events = tx.exec(select(AuditEvent.action).where(AuditEvent.object_id == str(banner))).all()
    assert [(d.stage, d.decision) for d in decisions] == [("brand", "approved"), ("legal", "approved")]
    assert sorted(events) == ["asset.approved", "asset.approved", "asset.approved_with_changes", "asset.rejected"]

    # A new version starts unreviewed; the decisions stay with the version they were made on.
    asset = tx.get(Asset, banner)
    assert asset is not None
    v2 = Version(
        asset_id=banner,
        blob_sha256=asset_version_sha(tx, asset),
        original_filename="v2.jpg",
        mime="image/jpeg",
        size=1,
        major=2,
    )
    tx.add(v2)
    tx.flush()
    asset.current_version_id = v2.id
    assert _states(tx, banner) == (["unreviewed"], ["unreviewed"])
    assert review_service.approvals_for(session=tx, principal=reviewer, asset_id=banner) == []


def asset_version_sha(session, asset: Asset) -> str:
    version = session.get(Version, asset.current_version_id)
    assert version is not None
    return version.blob_sha256


def test_bad_decisions_are_refused_and_change_nothing(tx: Session, tx_library) -> None:
    banner = tx_library["banner_bf_na"]  # an NA asset
    _, na_reviewer = factories.user(tx, role="reviewer", regions=["NA"])
    _, eu_reviewer = factories.user(tx, role="reviewer", regions=["EU"])
    _, viewer = factories.user(tx, role="viewer", regions=["NA"])
    with pytest.raises(review_service.ReviewError, match="unknown review stage 'ceo'"):
        _decide(tx, na_reviewer, banner, stage="ceo")
    with pytest.raises(review_service.ReviewError, match="unknown decision 'maybe'"):
        _decide(tx, na_reviewer, banner, decision="maybe")
    with pytest.raises(review_service.ReviewError, match="not for market 'JP'; its markets are NA"):
        _decide(tx, na_reviewer, banner, market="JP")
    with pytest.raises(review_service.ReviewError, match="at most 2000"):
        _decide(tx, na_reviewer, banner, note="x" * 2001)
    with pytest.raises(PermissionDenied, match=r"lacks permission 'asset\.review'"):
        _decide(tx, viewer, banner)
    with pytest.raises(AssetNotFound):  # an EU reviewer cannot even see an NA-only asset
        _decide(tx, eu_reviewer, banner)
    with pytest.raises(AssetNotFound):
        _decide(tx, na_reviewer, uuid.uuid4())
    assert _states(tx, banner) == (["unreviewed"], ["unreviewed"])


def test_approvals_api(services, library, make_user) -> None:
    from dam_app.api.app import build_api

    banner = library["banner_bf_na"]
    user, _ = make_user("reviewer", regions=["NA"])
    viewer, _ = make_user("viewer", regions=["NA"])
    with session_scope() as session:
        token = accounts.issue_api_token(session=session, user_id=user.id, name="t").token
        viewer_token = accounts.issue_api_token(session=session, user_id=viewer.id, name="t").token
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(build_api()) as client:
        url = f"/api/v1/assets/{banner}/approvals"
        created = client.post(url, json={"market": "na", "stage": "legal", "decision": "approved"}, headers=auth)
        assert created.status_code == 201, created.text
        assert created.json()["market"] == "NA" and created.json()["decided_by"] == user.email
        listed = client.get(url, headers=auth).json()
        assert [(a["market"], a["stage"], a["decision"]) for a in listed] == [("NA", "legal", "approved")]
        searched = client.get(
            "/api/v1/search", params={"q": "banner", "approval": "legal_approved", "exact": "true"}, headers=auth
        ).json()
        assert [h["asset"]["id"] for h in searched["hits"]] == [str(banner)]
        bad_stage = client.post(url, json={"market": "NA", "stage": "ceo", "decision": "approved"}, headers=auth)
        assert bad_stage.status_code == 422 and "legal" in bad_stage.text
        wrong_market = client.post(url, json={"market": "JP", "stage": "legal", "decision": "approved"}, headers=auth)
        assert wrong_market.status_code == 422 and "its markets are NA" in wrong_market.json()["detail"]
        as_viewer = client.post(
            url,
            json={"market": "NA", "stage": "legal", "decision": "rejected"},
            headers={"Authorization": f"Bearer {viewer_token}"},
        )
        assert as_viewer.status_code == 403
        assert (
            client.post(
                f"/api/v1/assets/{uuid.uuid4()}/approvals",
                json={"market": "NA", "stage": "legal", "decision": "approved"},
                headers=auth,
            ).status_code
            == 404
        )
    with session_scope() as session:
        assert _states(session, banner)[1] == ["in_review", "legal_approved"]  # refused calls changed nothing
