"""Turn form fields, import options and folder names into an asset's classification."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from sqlmodel import Session

from dam_app.catalog import service as catalog
from dam_app.catalog.models import Channel, ContentType, Market, Phase
from dam_app.catalog.service import Lexicon


@dataclass
class Classification:
    """Raw values as a person typed them; `resolve` turns them into codes or raises UnknownValue."""

    markets: list[str] = field(default_factory=list)
    content_type: str | None = None
    campaign: str | None = None
    phase: str | None = None
    channel: str | None = None
    language: str | None = None

    def merged_over(self, fallback: Classification) -> Classification:
        """Explicit values win; folder-derived values fill the gaps."""
        return Classification(
            markets=self.markets or fallback.markets,
            content_type=self.content_type or fallback.content_type,
            campaign=self.campaign or fallback.campaign,
            phase=self.phase or fallback.phase,
            channel=self.channel or fallback.channel,
            language=self.language or fallback.language,
        )


@dataclass(frozen=True)
class ResolvedClassification:
    markets: list[str]
    content_type: str | None
    campaign: str | None
    phase: str | None
    channel: str | None
    language: str | None


def resolve(*, session: Session, lexicon: Lexicon, raw: Classification) -> ResolvedClassification:
    markets = sorted({lexicon.resolve(Market, m) for m in raw.markets if m.strip()})
    return ResolvedClassification(
        markets=markets,
        content_type=_opt(lexicon, ContentType, raw.content_type),
        campaign=catalog.ensure_campaign(session=session, name=raw.campaign) if raw.campaign else None,
        phase=_opt(lexicon, Phase, raw.phase),
        channel=_opt(lexicon, Channel, raw.channel),
        language=raw.language.strip().lower()[:16] if raw.language and raw.language.strip() else None,
    )


def from_folder_path(*, lexicon: Lexicon, relative_path: PurePath) -> Classification:
    """Read 'NA/product-images/peak/shoe.jpg' as market NA, type product_image, phase peak.

    Each folder name is tried as a market, a content type, a phase and a channel (codes, names and
    aliases, singular or plural); names that match nothing are ignored.
    """
    found = Classification()
    for part in relative_path.parent.parts:
        for candidate in (part, part.rstrip("s")):
            if market := lexicon.lookup(Market, candidate):
                if market not in found.markets:
                    found.markets.append(market)
                break
            if not found.content_type and (ct := lexicon.lookup(ContentType, candidate)):
                found.content_type = ct
                break
            if not found.phase and (ph := lexicon.lookup(Phase, candidate)):
                found.phase = ph
                break
            if not found.channel and (ch := lexicon.lookup(Channel, candidate)):
                found.channel = ch
                break
    return found


def _opt(lexicon: Lexicon, table: type[ContentType] | type[Phase] | type[Channel], value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return lexicon.resolve(table, value)
