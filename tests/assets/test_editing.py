"""Editing an asset's details: rules, audit, and search following the edit through the real worker."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlmodel import select

from dam_app.accounts.principal import PermissionDenied
from dam_app.assets import editing
from dam_app.assets.editing import AssetEdit, InvalidEdit
from dam_app.assets.models import Asset
from dam_app.assets.service import AssetNotFound
from dam_app.audit.models import AuditEvent
from dam_app.catalog.service import UnknownValue
from dam_app.db import session_scope
from dam_app.search import service as search_service
from dam_app.search.models import SearchDocument
from dam_app.tagging import service as tagging_service
from tests.search.library import build


@pytest.fixture
def library(admin):
    with session_scope() as session:
        return build(session)


def _edit(principal, asset_id: uuid.UUID, **change):
    with session_scope() as session:
        return editing.edit_asset(session=session, principal=principal, asset_id=asset_id, edit=AssetEdit(**change))


def _document(asset_id: uuid.UUID) -> str:
    with session_scope() as session:
        doc = session.get(SearchDocument, asset_id)
        return doc.content if doc else ""


def _wait_for_document(asset_id: uuid.UUID, words: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while words not in (content := _document(asset_id)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return content


def test_an_edit_changes_details_is_audited_and_search_follows(worker, make_user, library) -> None:
    user, editor = make_user("editor", regions=["NA", "EU"])
    asset_id = library["backpack_na"]
    edited = _edit(
        editor,
        asset_id,
        title="  Trailblazer   30L  daypack ",
        description="Waterproof daypack for autumn hikes",
        markets=["North America", "EU"],
        content_type="banner",
        phase="",
        campaign="Autumn Trails 2027",
        add_tags=["waterproof", "Autumn"],
        remove_tags=["outdoor"],
    )
    assert edited.title == "Trailblazer 30L daypack" and edited.markets == ["EU", "NA"]
    assert (edited.content_type, edited.phase, edited.campaign) == ("banner", None, "autumn-trails-2027")
    with session_scope() as session:
        names = {t.name for t in tagging_service.tags_for(session=session, asset_id=asset_id)}
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "asset.edit")).one()
        mirrored = session.get(SearchDocument, asset_id)
        assert mirrored is not None and mirrored.markets == ["EU", "NA"]  # the filter columns follow at once
    assert {"waterproof", "Autumn"} <= names and "outdoor" not in names
    assert event.actor_id == user.id and event.details["title"]["to"] == "Trailblazer 30L daypack"
    assert event.details["tags_removed"] == ["outdoor"]
    # The worker rebuilds the words and the embedding: the new title is found by words and meaning.
    assert "Trailblazer 30L daypack" in _wait_for_document(asset_id, "Trailblazer")
    with session_scope() as session:
        found = search_service.search(session=session, principal=editor, query="trailblazer daypack")
    assert found.hits[0].card.asset.id == asset_id and "trailblazer" in found.hits[0].matched_terms
    with session_scope() as session:
        europe = search_service.search(session=session, principal=editor, query="waterproof Europe")
    assert asset_id in {h.card.asset.id for h in europe.hits}


def test_bad_edits_are_refused_with_the_reason_and_change_nothing(make_user, library) -> None:
    _, editor = make_user("editor", regions=["NA"])
    _, viewer = make_user("viewer", regions=["NA"])
    asset_id = library["sneaker_na"]
    with session_scope() as session:
        before = session.get(Asset, asset_id)
        assert before is not None
        snapshot = (before.title, before.markets, before.content_type, before.updated_at)
    refusals: list[tuple[type[Exception], str, dict[str, object]]] = [
        (InvalidEdit, "title cannot be empty", {"title": "   "}),
        (InvalidEdit, "at most 300", {"title": "x" * 301}),
        (InvalidEdit, "at least one market", {"markets": []}),
        (UnknownValue, "unknown market 'Atlantis'", {"markets": ["Atlantis"]}),
        (UnknownValue, "unknown content type 'hologram'", {"content_type": "hologram"}),
        (PermissionDenied, "not scoped to market(s) JP", {"markets": ["NA", "JP"]}),
        (InvalidEdit, "has no tag 'never-there'", {"remove_tags": ["never-there"], "title": "Renamed"}),
        (InvalidEdit, "at most 120", {"add_tags": ["t" * 121]}),
    ]
    for error, message, change in refusals:
        with pytest.raises(error, match=re.escape(message)):
            _edit(editor, asset_id, **change)
    with pytest.raises(PermissionDenied, match=re.escape("asset.write")):
        _edit(viewer, asset_id, title="Viewer was here")
    _, eu_editor = make_user("editor", regions=["EU"])
    with pytest.raises(AssetNotFound):
        _edit(eu_editor, asset_id, title="Out of region")
    with pytest.raises(AssetNotFound):
        _edit(editor, uuid.uuid4(), title="No such asset")
    with session_scope() as session:
        after = session.get(Asset, asset_id)
        assert after is not None
        assert (after.title, after.markets, after.content_type, after.updated_at) == snapshot
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "asset.edit")).first() is None


def test_an_edit_is_searchable_even_when_the_queue_is_down(make_user, library, monkeypatch) -> None:
    from redis.exceptions import ConnectionError as RedisDown

    from dam_app.worker import queues

    def unreachable(*_args: object, **_kwargs: object) -> str:
        raise RedisDown("Connection refused")

    monkeypatch.setattr(queues, "enqueue", unreachable)
    _, editor = make_user("editor", regions=["JP"])
    _edit(editor, library["bento_jp"], title="Sakura bento box")
    assert "Sakura bento box" in _document(library["bento_jp"])  # indexed in this process, at once
    assert _edit(editor, library["bento_jp"], title="Sakura bento box").title == "Sakura bento box"  # no-op
