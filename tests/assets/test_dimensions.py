"""The dimension table (assets/dimensions.py): it covers AssetFilter exactly, a filter survives the
URL, old search-page names still read, and search's merge keeps its rules."""

from __future__ import annotations

import dataclasses
import typing
import urllib.parse
from datetime import UTC, datetime

from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql

from dam_app.assets.dimensions import DIMENSIONS, AssetFilter, Kind, filter_conditions
from dam_app.assets.models import Asset
from dam_app.search import facets
from dam_app.search.models import SearchDocument

_KIND_OF_TYPE = {list[str]: Kind.LIST, bool | None: Kind.FLAG, datetime | None: Kind.DATE, str | None: Kind.TEXT}


def _everything() -> AssetFilter:
    """A filter asking every URL dimension something (values in their stored case)."""
    return AssetFilter(
        markets=["JP", "NA"],
        content_types=["banner"],
        phases=["peak"],
        campaigns=["Black Friday 2026"],
        channels=["instagram"],
        statuses=["ready"],
        media_kinds=["video"],
        languages=["ja"],
        colours=["red", "blue"],
        orientations=["portrait"],
        tags=["skincare", "a b&c"],
        approvals=["legal_approved"],
        usable_in=["NA"],
        usage=["20+"],
        added=["7d", "older"],
        has_person=False,
        created_after=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        created_before=datetime(2026, 2, 1, tzinfo=UTC),
    )


def test_every_asset_filter_field_has_exactly_one_dimension_and_the_right_kind() -> None:
    fields = [f.name for f in dataclasses.fields(AssetFilter)]
    declared = [d.field for d in DIMENSIONS]
    assert sorted(declared) == sorted(fields) and len(set(declared)) == len(declared)
    hints = typing.get_type_hints(AssetFilter)
    assert {d.field: d.kind for d in DIMENSIONS} == {name: _KIND_OF_TYPE[hints[name]] for name in fields}
    names = [n for d in DIMENSIONS for n in (d.name, *d.aliases)]
    assert len(set(names)) == len(names) and all(n.isidentifier() for n in names)
    for d in DIMENSIONS:  # the column on Asset and on the search document that mirrors it
        assert hasattr(Asset, d.column) and (d.kind is Kind.TEXT or hasattr(SearchDocument, d.column)), d.name


def test_a_filter_survives_the_url_under_the_api_names() -> None:
    wanted = _everything()
    url = urllib.parse.urlencode(DIMENSIONS.write_url(DIMENSIONS.selection(wanted)))
    query = dict(urllib.parse.parse_qsl(url))
    assert list(query) == [d.name for d in DIMENSIONS.params]  # the API's names, in table order
    assert DIMENSIONS.to_filter(DIMENSIONS.read_url(query)) == wanted
    assert DIMENSIONS.write_url({}) == {} and DIMENSIONS.to_filter({}) == AssetFilter()


def test_old_search_page_names_read_as_aliases_and_values_take_the_stored_case() -> None:
    old = {"type": "banner", "kind": "video", "lang": "ja", "people": "true", "market": "jp,na", "colour": "Red"}
    assert DIMENSIONS.to_filter(DIMENSIONS.read_url(old)) == AssetFilter(
        markets=["JP", "NA"], content_types=["banner"], media_kinds=["video"], languages=["ja"], colours=["red"],
        has_person=True,
    )  # fmt: skip
    assert DIMENSIONS.read_url({"content_type": "logo", "type": "banner"}) == {"content_type": ["logo"]}
    assert DIMENSIONS.write_url(DIMENSIONS.read_url(old)) == {
        "market": "JP,NA", "content_type": "banner", "media_kind": "video", "language": "ja", "colour": "red",
        "has_person": "true",
    }  # fmt: skip
    # Both people values, a bad flag or a bad date ask nothing.
    assert DIMENSIONS.to_filter({"has_person": ["true", "false"]}).has_person is None
    assert DIMENSIONS.to_filter({"has_person": ["maybe"], "created_after": ["yesterday"]}) == AssetFilter()
    naive = DIMENSIONS.to_filter({"created_before": ["2026-02-01"]}).created_before
    assert naive == datetime(2026, 2, 1, tzinfo=UTC)


def test_the_api_builds_the_same_filter_from_typed_values() -> None:
    wanted = _everything()
    typed = {d.name: getattr(wanted, d.field) for d in DIMENSIONS.params}
    typed["market"] = ["jp", "NA"]
    typed["created_before"] = datetime(2026, 2, 1)  # no zone: read as UTC
    assert DIMENSIONS.build(typed) == wanted
    assert DIMENSIONS.build({}) == AssetFilter()


def test_merge_keeps_search_rules_per_dimension() -> None:
    explicit = AssetFilter(
        markets=["JP", "NA"],
        campaigns=["Spring"],
        tags=["skincare"],
        has_person=False,
        text="ignored by search",
        created_after=datetime(2026, 1, 1, tzinfo=UTC),
        created_before=datetime(2026, 3, 1, tzinfo=UTC),
    )
    parsed = AssetFilter(  # what the parser understood (ParsedQuery.required)
        markets=["NA", "EU"],
        colours=["red"],
        approvals=["approved"],
        has_person=True,
        created_after=datetime(2026, 2, 1, tzinfo=UTC),
        campaigns=["never from the parser"],
    )
    merged = DIMENSIONS.merge(explicit, parsed)
    assert merged == AssetFilter(
        markets=["JP", "NA", "EU"],  # lists the parser fills: united, in order, once each
        colours=["red"],
        approvals=["approved"],
        campaigns=["Spring"],  # lists it cannot fill: the explicit ones
        tags=["skincare"],
        has_person=False,  # an explicit flag wins
        created_after=datetime(2026, 2, 1, tzinfo=UTC),  # the later start
        created_before=datetime(2026, 3, 1, tzinfo=UTC),
    )
    assert DIMENSIONS.merge(AssetFilter(), parsed).has_person is True  # no explicit flag: the parser's
    assert DIMENSIONS.merge(AssetFilter(markets=["JP", "JP"]), AssetFilter()).markets == ["JP"]


def test_conditions_one_per_asked_dimension_on_assets_and_search_documents() -> None:
    assert filter_conditions(AssetFilter()) == [] and filter_conditions(AssetFilter(text="  ")) == []
    wanted = dataclasses.replace(_everything(), text="50%_off")
    assert len(filter_conditions(wanted)) == len(DIMENSIONS.rows)
    on_documents = filter_conditions(wanted, SearchDocument)
    sql = " AND ".join(_sql(c) for c in on_documents)
    assert "search_documents.content ILIKE" in sql and "title" not in sql and "tag_names &&" in sql
    assert "assets.title ILIKE" in _sql(filter_conditions(AssetFilter(text="x"))[0])


def _sql(condition: ColumnElement[bool]) -> str:
    return str(condition.compile(dialect=postgresql.dialect()))


def test_facet_keys_of_search_results_stay_as_the_api_gives_them() -> None:
    assert facets.FACET_NAMES == (
        "markets", "content_type", "phase", "campaign", "channel", "media_kind", "language", "colours",
        "orientation", "tag_names", "approval_states", "usable_in", "has_person", "use_count", "added",
    )  # fmt: skip
    assert facets.ARRAY_DIMENSIONS == ("markets", "colours", "tag_names", "approval_states", "usable_in")
    assert [d.facet_key for d in DIMENSIONS.facets] == [
        "markets", "content_type", "added", "phase", "campaign", "channel", "media_kind", "language", "colours",
        "orientation", "tag_names", "approval_states", "usable_in", "has_person", "use_count",
    ]  # fmt: skip
