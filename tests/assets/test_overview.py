"""The asset page's one read: detail, decisions, look-alikes and (for editors) the vocabulary, in the
caller's scope; and the typed rows the page and its panels are built from."""

from __future__ import annotations

import uuid

import pytest

from dam_app.assets import overview
from dam_app.assets.service import AssetNotFound
from dam_app.db import session_scope
from dam_app.review import service as review_service
from dam_app.ui.state.asset_views import page_view
from tests.search.library import build


@pytest.fixture
def banner(admin) -> uuid.UUID:
    with session_scope() as session:
        return build(session)["banner_bf_na"]


def _read(principal, asset_id: uuid.UUID) -> overview.AssetOverview:
    with session_scope() as session:
        return overview.read(session=session, principal=principal, asset_id=asset_id)


def test_one_read_serves_the_page_and_every_panel(banner, make_user) -> None:
    _, reviewer = make_user("reviewer", regions=["NA"])
    with session_scope() as session:
        review_service.record_decision(
            session=session, principal=reviewer, asset_id=banner, market="NA", stage="legal", decision="approved"
        )

    read = _read(reviewer, banner)
    assert read.detail.asset.id == banner
    assert [(d.market, d.stage, d.decision) for d in read.decisions] == [("NA", "legal", "approved")]
    assert read.vocabulary is None  # a reviewer may not edit: no form, no vocabulary read
    assert (read.similar is None) != (read.nothing_to_compare == "")  # look-alikes, or why there are none

    view = page_view(read, reviewer)
    assert view.asset.title == "Black Friday up to 50% off banner" and view.asset.markets == "NA"
    assert view.review.can_review and view.review.markets == ["NA"]
    assert view.review.states == "in review, legal approved"  # NA requires brand too
    assert [(d.market, d.stage, d.decision) for d in view.review.decisions] == [  # NA requires legal and brand
        ("NA", "legal", "approved"),
        ("NA", "brand", "awaiting"),
    ]
    assert not view.edit.can_edit
    assert view.versions[0].url == f"/api/v1/versions/{read.detail.versions[0].id}/file"


def test_editors_get_the_form_and_other_markets_get_nothing(banner, make_user) -> None:
    _, editor = make_user("editor", regions=["NA"])
    read = _read(editor, banner)
    assert read.vocabulary is not None
    edit = page_view(read, editor).edit
    assert edit.can_edit and edit.title == "Black Friday up to 50% off banner" and edit.markets == ["NA"]
    assert edit.campaign == "Black Friday 2026" and edit.content_types[0] == "—"
    assert "NA" in [code for code, _name in edit.market_choices]
    assert not page_view(read, editor).review.can_review

    _, elsewhere = make_user("viewer", regions=["EU"])
    with pytest.raises(AssetNotFound):
        _read(elsewhere, banner)
