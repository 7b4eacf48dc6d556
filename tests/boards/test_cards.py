"""Cards after they are made, on the real database: edits and deletes that name the revision they
saw, a checklist whose steps never make a concurrent move stale, attached assets counted as reuse
when they predate the request, coverage per card and per market x phase, and reuse suggestions
found by search and ordered by the gaps they close."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from dam_app.accounts.principal import Principal
from dam_app.assets.models import Asset, Version
from dam_app.audit.models import AuditEvent
from dam_app.boards import cards, checklists, coverage, reuse, service
from dam_app.boards.models import CHECKLIST_SEED, Card
from dam_app.db import session_scope
from dam_app.errors import DamError, Invalid, NotFound
from dam_app.search import service as search_service
from tests import factories
from tests.boards.test_moves import _board, _card, _move, _person


def _asset(
    title: str,
    markets: tuple[str, ...],
    size: tuple[int, int],
    *,
    language: str | None = None,
    approved: bool = False,
    days_old: int = 30,
) -> Asset:
    with session_scope() as session:
        asset = factories.asset(
            session, title=title, markets=markets, created_at=datetime.now(UTC) - timedelta(days=days_old)
        )
        version = session.get(Version, asset.current_version_id)
        assert version is not None
        version.width, version.height = size
        asset.language = language
        if approved:
            asset.approval_states = ["approved"]
        session.add_all([asset, version])
        return asset


def _edit(who: Principal, card: Card, revision: int | None = None, **changes: object) -> Card:
    with session_scope() as session:
        return cards.edit_card(
            session=session,
            principal=who,
            card_id=card.id,
            changes=changes,
            expected_revision=card.revision if revision is None else revision,
        )


def _attach(who: Principal, card: Card, asset: Asset) -> None:
    with session_scope() as session:
        cards.attach(session=session, principal=who, card_id=card.id, asset_id=asset.id)


def test_an_edit_names_the_revision_it_saw_and_is_checked_like_a_new_card(services: dict[str, str]) -> None:
    owner, colleague = _person(), _person()
    card = _card(owner, _board(owner), "hero banner")
    edited = _edit(owner, card, brief="Red lanterns, 9:16 for Douyin", formats=["9:16"], markets=["CN"])
    assert (edited.revision, edited.brief, edited.formats, edited.markets) == (
        2,
        "Red lanterns, 9:16 for Douyin",
        ["9:16"],
        ["CN"],
    )
    with pytest.raises(service.StaleMove) as stale:
        _edit(colleague, card, title="someone else's title")  # still holds revision 1
    assert owner.display_name in stale.value.message
    with session_scope() as session:
        assert session.get(Card, card.id).title == "hero banner"  # type: ignore[union-attr]
    for changes, why in (
        ({"formats": ["3:2"]}, "unknown format"),
        ({"brief": "x" * 10_001}, "longer than 10,000"),
        ({"due_at": datetime.now(UTC) - timedelta(days=1)}, "has passed already"),
        ({"markets": ["US"]}, "not scoped"),
        ({"phase": "peak"}, "cannot be edited"),
    ):
        with pytest.raises(DamError, match=why):
            _edit(owner, edited, **changes)
    outsider = _person(regions=("DE",))
    with pytest.raises(Invalid, match="does not work in"):
        _edit(owner, edited, owner_id=outsider.user_id)
    with session_scope() as session:
        actions = [e.action for e in service.history(session=session, principal=owner, card_id=card.id)]
    assert actions == ["created", "edited"]


def test_a_past_due_card_can_still_be_retitled(services: dict[str, str]) -> None:
    owner = _person()
    card = _card(owner, _board(owner), "late teaser", due_at=datetime.now(UTC) + timedelta(minutes=1))
    with session_scope() as session:  # time passes: the card is overdue now
        row = session.get(Card, card.id)
        assert row is not None
        row.due_at = datetime.now(UTC) - timedelta(days=2)
        session.add(row)
    assert _edit(owner, card, title="late teaser (overdue)").title == "late teaser (overdue)"


def test_a_deleted_card_is_gone_for_a_late_mover_and_kept_in_the_audit_log(services: dict[str, str]) -> None:
    owner, mover = _person(), _person()
    card = _card(owner, _board(owner), "to be dropped")
    with session_scope() as session, pytest.raises(service.StaleMove):
        cards.delete_card(session=session, principal=owner, card_id=card.id, expected_revision=7)
    with session_scope() as session:
        cards.delete_card(session=session, principal=owner, card_id=card.id, expected_revision=1)
    with pytest.raises(NotFound, match="may have been deleted"):
        _move(mover, card, "peak", "requested", after=None)
    with session_scope() as session:
        logged = session.exec(select(AuditEvent).where(AuditEvent.object_id == str(card.id))).all()
    assert [e.action for e in logged][-1] == "card.deleted" and logged[-1].details["title"] == "to be dropped"


def test_the_checklist_is_seeded_and_a_tick_never_makes_a_move_stale(services: dict[str, str]) -> None:
    owner = _person()
    due = datetime.now(UTC) + timedelta(days=3)
    card = _card(owner, _board(owner), "KOL post", owner_id=owner.user_id, due_at=due)
    with session_scope() as session:
        steps = checklists.items_of(session, [card.id])[card.id]
    assert [s.label for s in steps] == list(CHECKLIST_SEED)
    assert all(s.accountable_id == owner.user_id and s.due_at == due for s in steps)
    with session_scope() as session:
        ticked = cards.change_step(
            session=session, principal=owner, item_id=steps[1].id, change=checklists.ItemChange(done=True)
        )
        assert ticked.done_by == owner.user_id and ticked.done_at is not None
    moved = _move(owner, card, "peak", "requested", after=None)  # the revision the board showed still holds
    assert moved.revision == 2
    stranger = _person(regions=("DE",))
    with session_scope() as session, pytest.raises(NotFound):
        cards.change_step(
            session=session, principal=stranger, item_id=steps[0].id, change=checklists.ItemChange(done=True)
        )
    with session_scope() as session:
        actions = [e.action for e in service.history(session=session, principal=owner, card_id=card.id)]
    assert actions == ["created", "checklist", "moved"]


def test_attachments_count_as_reuse_when_older_than_the_request_and_fill_coverage(services: dict[str, str]) -> None:
    owner = _person()
    board_id = _board(owner)
    card = _card(owner, board_id, "lantern banner", formats=("9:16", "1:1"), languages=("ja",))
    old_jp = _asset("lantern 9:16 JP", ("JP",), (1080, 1920), language="ja", approved=True)
    _attach(owner, card, old_jp)
    _attach(owner, card, old_jp)  # twice: still one attachment
    with session_scope() as session:
        cover = coverage.card_coverage(session=session, principal=owner, card_id=card.id)
    assert [(a.asset.title, a.format, a.reused) for a in cover.attached] == [("lantern 9:16 JP", "9:16", True)]
    assert {(n.kind, n.value): n.state for n in cover.needs} == {
        ("market", "JP"): "approved",
        ("market", "CN"): "gap",
        ("language", "ja"): "approved",
        ("format", "9:16"): "approved",
        ("format", "1:1"): "gap",
    }
    new_cn = _asset("lantern 1:1 CN", ("CN",), (1200, 1200), days_old=-1)  # made for this request
    _attach(owner, card, new_cn)
    other = _card(owner, board_id, "encore recap", phase="encore", markets=("CN",))
    with session_scope() as session:
        matrix = coverage.campaign_coverage(session=session, principal=owner, board_id=board_id)
    assert (matrix.requests, matrix.reused, matrix.with_assets) == (2, 1, 1)
    assert matrix.cells[("JP", "warm-up")].state == "approved"
    assert matrix.cells[("CN", "warm-up")].state == "covered"  # attached, not approved yet
    assert matrix.cells[("CN", "encore")].state == "gap" and matrix.cells[("CN", "encore")].cards[0].id == other.id
    assert matrix.cells[("JP", "peak")].state == "none"
    with session_scope() as session:
        cards.detach(session=session, principal=owner, card_id=card.id, asset_id=old_jp.id)
        with pytest.raises(NotFound):
            cards.detach(session=session, principal=owner, card_id=card.id, asset_id=old_jp.id)
    stranger = _person(regions=("DE",))
    hidden = _asset("Berlin only", ("DE",), (1200, 1200))
    with session_scope() as session, pytest.raises(NotFound):
        cards.attach(session=session, principal=owner, card_id=card.id, asset_id=hidden.id)
    with session_scope() as session, pytest.raises(NotFound):
        cards.attach(session=session, principal=stranger, card_id=card.id, asset_id=hidden.id)


def test_formats_are_read_from_the_pixels_within_three_percent() -> None:
    assert coverage.format_of(1080, 1920) == "9:16" and coverage.format_of(1200, 628) == "1.91:1"
    assert coverage.format_of(1080, 1350) == "4:5" and coverage.format_of(1000, 700) is None
    assert coverage.format_of(None, 100) is None


def test_reuse_suggestions_come_from_search_and_put_the_asset_closing_most_gaps_first(services: dict[str, str]) -> None:
    owner = _person()
    word = f"qilin{uuid.uuid4().hex[:6]}"
    card = _card(
        owner,
        _board(owner),
        f"{word} warm-up banner",
        brief=f"A {word} mascot for Japan",
        formats=("9:16",),
        markets=("JP",),
    )
    square = _asset(f"{word} warm-up banner mascot, square", ("JP",), (1000, 1000))  # search's first
    tall = _asset(f"{word} story", ("JP",), (1080, 1920))
    taken = _asset(f"{word} already attached", ("JP",), (1200, 1200))
    _asset(f"{word} Berlin", ("DE",), (1080, 1920))  # outside the viewer's markets
    _attach(owner, card, taken)
    with session_scope() as session:
        found = reuse.suggestions(session=session, principal=owner, card_id=card.id)
    titles = [s.card.asset.title for s in found]
    assert titles[:2] == [tall.title, square.title]  # 9:16 is still open, so the story closes it
    assert f"{word} already attached" not in titles and f"{word} Berlin" not in titles
    assert found[0].covers == ["9:16"] and found[1].covers == []
    with session_scope() as session:
        plain = search_service.search(session=session, principal=owner, query=reuse.query_of(card.title, card.brief))
    assert plain.hits[0].card.asset.id == square.id  # so the order above is the gaps', not search's


def test_due_times_read_in_the_viewers_zone_with_the_owners_beside() -> None:
    from dam_app.boards.due import due_words

    due = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
    before, after = due - timedelta(days=1), due + timedelta(hours=1)
    la = due_words(due, viewer_zone="America/Los_Angeles", owner_zone="Asia/Shanghai", now=before)
    assert la == "due Nov 10 02:00 your time — 18:00 in Shanghai"
    tokyo = due_words(due, viewer_zone="Asia/Tokyo", owner_zone="Europe/London", now=before)
    assert tokyo == "due Nov 10 19:00 your time — 10:00 in London"
    assert due_words(due, viewer_zone="UTC", owner_zone="UTC", now=after) == "overdue: due Nov 10 10:00 your time"
    assert due_words(due, viewer_zone="Mars/Olympus", owner_zone=None, now=before) == "due Nov 10 10:00 your time"
    early = due - timedelta(hours=2)  # 08:00 UTC: still the 9th in Honolulu, the 10th in Tokyo
    crossing = due_words(early, viewer_zone="Pacific/Honolulu", owner_zone="Asia/Tokyo", now=before)
    assert crossing == "due Nov 09 22:00 your time — Nov 10 17:00 in Tokyo"


def test_filters_narrow_by_market_owner_channel_due_and_mine() -> None:
    from dam_app.boards.filters import CardFilter
    from dam_app.boards.models import Board

    me, other = uuid.uuid4(), uuid.uuid4()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    board = Board(campaign="c", markets=["CN", "JP"])

    def card(**kw: object) -> Card:
        return Card(board_id=board.id, phase="peak", position="a0", title="t", **kw)  # type: ignore[arg-type]

    late = card(markets=["JP"], due_at=now - timedelta(hours=1), owner_id=me, channels=["LINE"])
    done_late = card(markets=["JP"], due_at=now - timedelta(hours=1), status="live")
    soon = card(due_at=now + timedelta(days=2), created_by=me)  # nobody owns it; I made it
    later = card(markets=["CN"], due_at=now + timedelta(days=20), owner_id=other)
    cards = [late, done_late, soon, later]

    def kept(f: CardFilter) -> list[Card]:
        return [c for c in cards if f.keeps(c, board, me, now)]

    assert kept(CardFilter()) == cards and not CardFilter().active
    assert kept(CardFilter(markets=("CN",))) == [soon, later]  # a card without markets asks for the board's
    assert kept(CardFilter(owner_id=other)) == [later] and kept(CardFilter(channels=("LINE",))) == [late]
    assert kept(CardFilter(overdue=True)) == [late]  # live is delivered: no longer overdue
    assert kept(CardFilter(due_within=timedelta(days=7))) == [soon]
    assert kept(CardFilter(mine=True)) == [late, soon]


def _race(owner: Principal, card: Card, asset: Asset, step_id: uuid.UUID) -> list[str]:
    """A tick, a detach and a delete of one card at once; what each got."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy.exc import DBAPIError

    def tick(session: Session) -> None:
        cards.change_step(session=session, principal=owner, item_id=step_id, change=checklists.ItemChange(done=True))

    def detach(session: Session) -> None:
        cards.detach(session=session, principal=owner, card_id=card.id, asset_id=asset.id)

    def drop(session: Session) -> None:
        cards.delete_card(session=session, principal=owner, card_id=card.id, expected_revision=1)

    def outcome(job: Callable[[Session], None]) -> str:
        try:
            with session_scope() as session:
                job(session)
            return "done"
        except NotFound:
            return "gone"
        except DBAPIError as exc:  # a deadlock would land here
            return f"database error: {exc.orig}"

    with ThreadPoolExecutor(max_workers=3) as pool:
        return list(pool.map(outcome, (tick, detach, drop)))


def test_a_tick_or_detach_racing_a_delete_never_deadlocks(services: dict[str, str]) -> None:
    owner = _person()
    board_id = _board(owner)
    for round_ in range(4):
        card = _card(owner, board_id, f"racing {round_}")
        asset = _asset(f"racing asset {round_}", ("JP",), (100, 100))
        _attach(owner, card, asset)
        with session_scope() as session:
            step_id = checklists.items_of(session, [card.id])[card.id][0].id
        results = _race(owner, card, asset, step_id)
        assert results[2] == "done" and not [r for r in results if r.startswith("database error")], results


def test_an_editor_changes_only_what_they_may_and_past_checks_stay_past(services: dict[str, str]) -> None:
    manager, japan_only = _person(("JP", "CN")), _person(("JP",))
    card = _card(manager, _board(manager), "two markets", markets=("JP", "CN"), owner_id=manager.user_id)
    retitled = _edit(japan_only, card, title="two markets, retitled in Tokyo", markets=["JP", "CN"])
    assert retitled.title == "two markets, retitled in Tokyo"  # CN was there already
    with pytest.raises(DamError, match="not scoped to market"):
        _edit(japan_only, retitled, markets=["JP"])  # dropping China is China's call
    with session_scope() as session:  # the owner leaves the company
        from dam_app.accounts.models import User

        user = session.get(User, manager.user_id)
        assert user is not None
        user.is_active = False
        session.add(user)
    assert _edit(japan_only, retitled, brief="still editable").brief == "still editable"


def test_the_card_page_lists_the_people_named_now_so_a_save_keeps_them(services: dict[str, str]) -> None:
    from dam_app.accounts.models import User
    from dam_app.ui.state.card_views import read_card

    manager, owner = _person(("JP", "CN")), _person(("JP",))
    card = _card(manager, _board(manager), "owned", markets=("JP",), owner_id=owner.user_id)
    with session_scope() as session:  # the owner leaves: still named on the card, and in its list
        user = session.get(User, owner.user_id)
        assert user is not None
        user.is_active = False
        session.add(user)
    page = read_card(manager, card.id)
    assert page is not None and page.owner_id == str(owner.user_id)
    assert [str(owner.user_id), f"{owner.display_name} (inactive)"] in page.people
    assert all(step.who_id == str(owner.user_id) for step in page.steps)
