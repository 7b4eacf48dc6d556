"""Look up and validate classification values; campaigns are created on first use."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass

from sqlmodel import Session, col, select

from dam_app.catalog.models import Campaign, Channel, ContentType, Market, Phase
from dam_app.errors import Invalid


class UnknownValue(Invalid):
    """A classification value that does not exist; the message lists the valid ones."""


@dataclass(frozen=True)
class Vocabulary:
    markets: list[Market]
    content_types: list[ContentType]
    phases: list[Phase]
    channels: list[Channel]
    campaigns: list[Campaign]


def vocabulary(*, session: Session) -> Vocabulary:
    return Vocabulary(
        markets=list(session.exec(select(Market).order_by(col(Market.is_global).desc(), col(Market.code)))),
        content_types=list(session.exec(select(ContentType).order_by(col(ContentType.name)))),
        phases=list(session.exec(select(Phase).order_by(col(Phase.position)))),
        channels=list(session.exec(select(Channel).order_by(col(Channel.name)))),
        campaigns=list(session.exec(select(Campaign).order_by(col(Campaign.name)))),
    )


def unknown_markets(*, session: Session, codes: list[str]) -> list[str]:
    if not codes:
        return []
    known = set(session.exec(select(Market.code).where(col(Market.code).in_(codes))))
    return sorted(set(codes) - known)


def global_market_codes(*, session: Session) -> list[str]:
    return list(session.exec(select(Market.code).where(col(Market.is_global))))


def review_stages(*, session: Session, markets: list[str]) -> dict[str, list[str]]:
    """The review stages each of these markets requires (markets.review_stages; legal by default)."""
    rows = session.exec(select(Market.code, Market.review_stages).where(col(Market.code).in_(markets))).all()
    found = {code: list(stages) for code, stages in rows}
    return {m: found.get(m, ["legal"]) for m in markets}


VocabularyTable = type[Market] | type[ContentType] | type[Phase] | type[Channel]


@dataclass(frozen=True)
class Lexicon:
    """Every code, name and alias of the classification tables, normalised, for fast matching."""

    names: dict[str, dict[str, str]]
    codes: dict[str, list[str]]
    labels: dict[str, dict[str, str]]
    campaign_word_pairs: frozenset[tuple[str, str]] = frozenset()

    def in_campaign_name(self, word: str, following: str) -> bool:
        """Whether the two words stand side by side in a campaign's name: "black friday" names a sale."""
        return (word, following) in self.campaign_word_pairs

    def lookup(self, table: VocabularyTable, value: str) -> str | None:
        return self.names[table.__tablename__].get(_norm(value))

    def label(self, table: VocabularyTable, code: str) -> str:
        return self.labels[table.__tablename__].get(code, code)

    def resolve(self, table: VocabularyTable, value: str) -> str:
        """Map a code, name or alias ('Warm up', 'na', 'Product shot') to its code, or raise."""
        code = self.lookup(table, value)
        if code is None:
            label = table.__tablename__[:-1].replace("_", " ")
            valid = ", ".join(sorted(self.codes[table.__tablename__]))
            raise UnknownValue(f"unknown {label} {value!r}; valid: {valid}")
        return code


def lexicon(*, session: Session) -> Lexicon:
    names: dict[str, dict[str, str]] = {}
    codes: dict[str, list[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    tables: list[VocabularyTable] = [Market, ContentType, Phase, Channel]
    for table in tables:
        mapping: dict[str, str] = {}
        rows: list[Market | ContentType | Phase | Channel] = list(session.exec(select(table)).all())  # type: ignore[arg-type]
        for row in rows:
            for name in (row.code, row.name, *row.aliases):
                mapping.setdefault(_norm(name), row.code)
        names[table.__tablename__] = mapping
        codes[table.__tablename__] = [row.code for row in rows]
        labels[table.__tablename__] = {row.code: row.name for row in rows}
    pairs: set[tuple[str, str]] = set()
    for name in session.exec(select(Campaign.name)):
        words = _norm(name).split()
        pairs.update(itertools.pairwise(words))
    return Lexicon(names, codes, labels, frozenset(pairs))


_LEXICON_TTL_S = 30.0
_lexicon_cache: tuple[float, Lexicon] | None = None


def cached_lexicon(*, session: Session) -> Lexicon:
    """The lexicon, rebuilt at most every 30 s: the search hot path should not re-read four tables."""
    global _lexicon_cache
    now = time.monotonic()
    if _lexicon_cache is None or now - _lexicon_cache[0] > _LEXICON_TTL_S:
        _lexicon_cache = (now, lexicon(session=session))
    return _lexicon_cache[1]


def campaign(*, session: Session, slug: str) -> Campaign | None:
    return session.get(Campaign, slug)


def ensure_campaign(*, session: Session, name: str) -> str:
    slug = slugify(name)
    if not slug:
        raise UnknownValue(f"campaign name {name!r} has no letters or digits")
    if session.get(Campaign, slug) is None:
        session.add(Campaign(slug=slug, name=name.strip()))
        session.flush()
    return slug


def slugify(value: str) -> str:
    return re.sub(r"[^\w]+", "-", value.strip().lower(), flags=re.UNICODE).strip("-")[:80]


def _norm(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())
