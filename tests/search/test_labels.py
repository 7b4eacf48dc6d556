"""Tags, people and usage as filters, facets and a sort, kept in step by triggers."""

from __future__ import annotations

import subprocess
import uuid

from fastapi.testclient import TestClient
from sqlmodel import select

from dam_app.accounts import service as accounts
from dam_app.assets import usage
from dam_app.assets.metadata import EmbeddedFacts
from dam_app.assets.models import Asset
from dam_app.assets.service import AssetFilter
from dam_app.catalog import service as catalog_service
from dam_app.db import session_scope
from dam_app.search import service as search_service
from dam_app.search.models import SearchDocument
from dam_app.search.query import parse
from dam_app.tagging import service as tagging_service
from dam_app.tagging.models import AssetTag, Tag, TagKind, TagSource
from tests.conftest import ingest_path, wait_until_processed
from tests.search.library import build


def test_tags_are_a_facet_and_a_filter_and_follow_tag_changes(admin) -> None:
    with session_scope() as session:
        ids = build(session)
    with session_scope() as session:
        result = search_service.search(session=session, principal=admin, query="serum")
    assert ("skincare", 3) in result.facets["tag_names"]
    with session_scope() as session:
        only = search_service.search(
            session=session, principal=admin, query="serum", filters=AssetFilter(tags=["skincare"])
        )
    assert {h.card.asset.id for h in only.hits} == {ids["serum_na_new"], ids["serum_na_old"], ids["serum_eu"]}
    # A tag added (or an auto tag below the confidence bar) shows up, or not, at once.
    with session_scope() as session:
        tagging_service.attach(
            session=session, asset_id=ids["perfume_eu"], kind=TagKind.VISUAL, name="skincare", source=TagSource.PERSON
        )
        tagging_service.attach(
            session=session,
            asset_id=ids["scarf_eu"],
            kind=TagKind.VISUAL,
            name="skincare",
            source=TagSource.AUTO,
            confidence=0.3,
        )
    with session_scope() as session:
        docs = {d.asset_id: d.tag_names for d in session.exec(select(SearchDocument)).all()}
    assert "skincare" in docs[ids["perfume_eu"]] and "skincare" not in docs[ids["scarf_eu"]]
    # Many tags in one statement, and a removal: the labels follow each statement.
    with session_scope() as session:
        tagging_service.attach_many(
            session=session,
            asset_id=ids["scarf_eu"],
            kind=TagKind.VISUAL,
            names=["Wool", "winter", "wool", " "],
            source=TagSource.PERSON,
        )
        session.execute(
            AssetTag.__table__.delete().where(  # type: ignore[attr-defined]
                AssetTag.asset_id == ids["perfume_eu"],
                AssetTag.tag_id.in_(select(Tag.id).where(Tag.slug == "skincare")),  # type: ignore[attr-defined]
            )
        )
    with session_scope() as session:
        scarf, perfume = session.get(SearchDocument, ids["scarf_eu"]), session.get(SearchDocument, ids["perfume_eu"])
        assert scarf is not None and perfume is not None
        assert {"wool", "winter"} <= set(scarf.tag_names) and "skincare" not in scarf.tag_names  # existing name kept
        assert "skincare" not in perfume.tag_names


def test_people_come_from_embedded_metadata_and_filter_search(worker, admin, sample_files) -> None:
    with_model = sample_files["jpeg"]
    subprocess.run(
        ["exiftool", "-q", "-overwrite_original", "-XMP-iptcExt:PersonInImage=Mia Chen", str(with_model)], check=True
    )
    person = ingest_path(admin, with_model, title="Aero Run sneaker lifestyle")
    product = ingest_path(admin, sample_files["png"], title="Aero Run sneaker banner")
    assert wait_until_processed(person.asset_id) == "ready" and wait_until_processed(product.asset_id) == "ready"
    with session_scope() as session:
        asset = session.get(Asset, person.asset_id)
        assert asset is not None and asset.has_person and "person" in asset.tag_names
        people = search_service.search(session=session, principal=admin, query="aero run sneaker with people")
        without = search_service.search(session=session, principal=admin, query="aero run sneaker product only")
    assert [(c.label, c.strict) for c in people.parsed.chips] == [("With people", False)]  # a wish: ranks first
    assert [h.card.asset.id for h in people.hits][:2] == [person.asset_id, product.asset_id]
    assert without.exact_total == 1 and without.hits[0].card.asset.id == product.asset_id  # "only": filters
    assert [(h.card.asset.id, h.unmet) for h in without.hits[1:]] == [(person.asset_id, ("Without people",))]
    assert dict(people.facets["has_person"]) == {"true": 1, "false": 1}


def test_person_evidence_from_release_or_keywords_not_from_nothing() -> None:
    assert EmbeddedFacts(model_release_status="MR-UMR").shows_person == "PLUS model release MR-UMR"
    assert EmbeddedFacts(keywords=["Sale", "Woman"]).shows_person == "keyword woman"
    assert EmbeddedFacts(model_release_status="MR-NAP", keywords=["sale"]).shows_person is None


def test_downloads_count_as_uses_for_the_usage_facet_and_most_used_sort(worker, make_user, sample_files) -> None:
    from dam_app.api.app import build_api

    user, editor = make_user("editor", regions=["NA"])
    shoe = ingest_path(editor, sample_files["jpeg"], title="Aero Run sneaker hero")
    banner = ingest_path(editor, sample_files["png"], title="Aero Run sneaker banner")
    assert wait_until_processed(shoe.asset_id) == "ready" and wait_until_processed(banner.asset_id) == "ready"
    with session_scope() as session:
        token = accounts.issue_api_token(session=session, user_id=user.id, name="t").token
        version_id = session.get(Asset, banner.asset_id).current_version_id  # type: ignore[union-attr]
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(build_api()) as client:
        url = f"/api/v1/versions/{version_id}/file"
        assert client.get(url, headers=auth).status_code == 200
        assert client.get(url, headers={**auth, "Range": "bytes=0-99"}).status_code == 206
        assert client.get(url, headers={**auth, "Range": "bytes=100-199"}).status_code == 206  # a player seeking
        assert client.get(f"/api/v1/versions/{uuid.uuid4()}/file", headers=auth).status_code == 404
        assert usage.counter.pending == {banner.asset_id: 2}  # noted by the requests, written in a batch
        usage.counter.flush()
        ranked = client.get("/api/v1/search", params={"q": "aero run sneaker", "sort": "most_used"}, headers=auth)
        browsed = client.get("/api/v1/search", params={"usage": "1-4", "exact": True}, headers=auth)
        bad_sort = client.get("/api/v1/search", params={"q": "sneaker", "sort": "loudest"}, headers=auth)
    with session_scope() as session:
        counted = session.get(Asset, banner.asset_id)
        assert counted is not None and counted.use_count == 2 and counted.last_used_at is not None
    body = ranked.json()
    assert [h["asset"]["id"] for h in body["hits"]][:2] == [str(banner.asset_id), str(shoe.asset_id)]
    assert dict(body["facets"]["use_count"]) == {"1-4": 1, "unused": 1}
    assert [h["asset"]["id"] for h in browsed.json()["hits"]] == [str(banner.asset_id)]
    assert bad_sort.status_code == 422


def test_query_words_for_review_people_and_usage(db) -> None:
    with session_scope() as session:
        lexicon = catalog_service.lexicon(session=session)
    parsed = parse("most used legal approved lipstick without people", lexicon)
    assert (parsed.required().approvals, parsed.preferred().has_person, parsed.most_used_first, parsed.text) == (
        ["legal_approved"],
        False,
        True,
        "lipstick",
    )
    assert [c.label for c in parsed.chips] == ["Most used first", "Legal approved", "Without people"]
    assert parse("rejected or not reviewed banners", lexicon).required().approvals == ["rejected", "unreviewed"]
    assert parse("banners in review", lexicon).required().approvals == ["in_review"]
    assert parse("people at the beach", lexicon).preferred().has_person is True
    assert parse("only with people", lexicon).required().has_person is True
