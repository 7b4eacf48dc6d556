"""What a request already has: for each card, which of its markets, languages and formats an
attached asset covers and whether that asset is approved; for the campaign, a market x phase matrix
of those answers (gaps at a glance) and the share of requests fulfilled by reuse."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.assets.models import Asset, Version
from dam_app.boards import service
from dam_app.boards.models import Board, Card, CardAsset

# Width / height of each format a card can ask for; a picture within 3% of one has that format.
RATIOS = {"1:1": 1.0, "4:5": 0.8, "9:16": 9 / 16, "1.91:1": 1.91, "16:9": 16 / 9}
TOLERANCE = 0.03


def format_of(width: int | None, height: int | None) -> str | None:
    if not width or not height:
        return None
    ratio = width / height
    best = min(RATIOS, key=lambda name: abs(RATIOS[name] - ratio))
    return best if abs(RATIOS[best] - ratio) <= TOLERANCE * RATIOS[best] else None


def _language_matches(asked: str, has: str | None) -> bool:
    """ "en" is met by any English ("en-GB", "en-US"); "en-GB" only by British English."""
    if not has:
        return False
    asked, has = asked.lower(), has.lower()
    return has == asked or ("-" not in asked and has.split("-")[0] == asked)


@dataclass(frozen=True)
class Attached:
    asset: Asset
    format: str | None
    reused: bool
    visible: bool  # the viewer may open it (it still counts for coverage when not)

    @property
    def approved(self) -> bool:
        return "approved" in self.asset.approval_states

    def covers(self, kind: str, value: str) -> bool:
        if kind == "market":
            return not self.asset.markets or value in self.asset.markets  # no markets: a global asset
        if kind == "language":
            return _language_matches(value, self.asset.language)
        return self.format == value


def current_formats(session: Session, assets: list[Asset]) -> dict[uuid.UUID, str | None]:
    """Each asset's format, read from its current version's pixels, in one query."""
    ids = [a.current_version_id for a in assets if a.current_version_id]
    if not ids:
        return {}
    rows = session.exec(select(Version.id, Version.width, Version.height).where(col(Version.id).in_(ids)))
    sizes = {version_id: (width, height) for version_id, width, height in rows}
    return {a.id: format_of(*sizes[a.current_version_id]) for a in assets if a.current_version_id in sizes}


@dataclass(frozen=True)
class Need:
    kind: str  # "market", "language" or "format"
    value: str
    covered: bool
    approved: bool  # covered by an approved asset

    @property
    def state(self) -> str:
        return "approved" if self.approved else "covered" if self.covered else "gap"


@dataclass(frozen=True)
class CardCoverage:
    needs: list[Need]
    attached: list[Attached]

    @property
    def gaps(self) -> list[Need]:
        return [n for n in self.needs if not n.covered]

    @property
    def reused(self) -> bool:
        return any(a.reused for a in self.attached)


def attached_to(session: Session, principal: Principal, card_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Attached]]:
    """Each card's attached assets with their current version's format, in one query."""
    found: dict[uuid.UUID, list[Attached]] = {card_id: [] for card_id in card_ids}
    if not card_ids:
        return found
    rows = session.exec(
        select(CardAsset, Asset, Version.width, Version.height)
        .join(Asset, col(Asset.id) == CardAsset.asset_id)
        .join(Version, col(Version.id) == Asset.current_version_id, isouter=True)
        .where(col(CardAsset.card_id).in_(card_ids))
        .order_by(col(CardAsset.attached_at))
    )
    for link, asset, width, height in rows:
        visible = principal.can("asset.read") and principal.may_see_markets(asset.markets, asset.created_by)
        found[link.card_id].append(Attached(asset, format_of(width, height), link.reused, visible))
    return found


def needs_of(card: Card, board: Board, attached: list[Attached]) -> list[Need]:
    """Every market (the card's, else the board's), language and format the card asks for."""
    asked = [("market", m) for m in card.markets or board.markets]
    asked += [("language", lang) for lang in card.languages] + [("format", f) for f in card.formats]
    needs = []
    for kind, value in asked:
        covering = [a for a in attached if a.covers(kind, value)]
        needs.append(Need(kind, value, bool(covering), any(a.approved for a in covering)))
    return needs


def card_coverage(*, session: Session, principal: Principal, card_id: uuid.UUID) -> CardCoverage:
    board, card = service.visible_card(session, principal, card_id)
    attached = attached_to(session, principal, [card.id])[card.id]
    return CardCoverage(needs_of(card, board, attached), attached)


@dataclass
class Cell:
    """One market in one phase: the cards asking for it, and how far they are covered."""

    cards: list[Card] = field(default_factory=list)
    gaps: int = 0  # cards with no attached asset for this market
    approved: int = 0  # cards whose asset for this market is approved

    @property
    def state(self) -> str:
        if not self.cards:
            return "none"
        return "gap" if self.gaps else "approved" if self.approved == len(self.cards) else "covered"


@dataclass
class CampaignCoverage:
    board: Board
    markets: list[str]
    phases: list[str]
    cells: dict[tuple[str, str], Cell]
    requests: int
    reused: int  # requests with at least one asset that predates them
    with_assets: int

    @property
    def reuse_share(self) -> float:
        return self.reused / self.requests if self.requests else 0.0


def campaign_coverage(*, session: Session, principal: Principal, board_id: uuid.UUID) -> CampaignCoverage:
    """The market x phase matrix over the cards the viewer may see, and the campaign's reuse count."""
    board = service.visible_board(session, principal, board_id)
    cards = service.cards_of(session, principal, board)
    attached = attached_to(session, principal, [c.id for c in cards])
    phases = [c.phase for c in service.columns_of(session, board.id)]
    markets = list(board.markets) or sorted({m for c in cards for m in c.markets})
    cells = {(m, p): Cell() for m in markets for p in phases}
    for card in cards:
        for need in needs_of(card, board, attached[card.id]):
            cell = cells.get((need.value, card.phase)) if need.kind == "market" else None
            if cell is None:
                continue
            cell.cards.append(card)
            cell.gaps += not need.covered
            cell.approved += need.approved
    return CampaignCoverage(
        board,
        markets,
        phases,
        cells,
        requests=len(cards),
        reused=sum(any(a.reused for a in attached[c.id]) for c in cards),
        with_assets=sum(bool(attached[c.id]) for c in cards),
    )
