"""The review queue: the current versions in a reviewer's markets that still wait for a decision at
a stage their market requires (markets.review_stages, migration 0018), oldest first, with how many
compliance findings are still open there. A rejected version waits for its next version, not for a
second decision; an excepted finding no longer counts as open."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from dam_app.accounts.principal import Principal

MAX_PAGE = 100

_QUEUE = text(
    """
    WITH pending AS (
        SELECT a.id AS asset_id, a.title, v.id AS version_id, v.major, v.minor, v.created_at AS since,
               am.code AS market, s.stage
        FROM assets a
        JOIN versions v ON v.id = a.current_version_id
        CROSS JOIN LATERAL unnest(a.markets) AS am(code)
        JOIN markets m ON m.code = am.code
        CROSS JOIN LATERAL unnest(m.review_stages) AS s(stage)
        WHERE a.status = 'ready'
          AND (CAST(:everywhere AS boolean) OR (a.markets && CAST(:markets AS text[]) AND am.code = ANY(:markets)))
          AND NOT EXISTS (
              SELECT 1 FROM approvals ap
              WHERE ap.version_id = v.id AND ap.market = am.code AND ap.stage = s.stage
          )
    ),
    waiting AS (
        SELECT asset_id, title, version_id, major, minor, since,
               array_agg(market || ':' || stage ORDER BY market, stage) AS awaiting,
               count(*) OVER () AS total
        FROM pending
        GROUP BY asset_id, title, version_id, major, minor, since
        ORDER BY since, asset_id
        LIMIT :limit OFFSET :offset
    )
    SELECT w.*, (
        SELECT count(*) FROM compliance_findings f
        WHERE f.version_id = w.version_id
          AND (CAST(:everywhere AS boolean) OR f.market = ANY(:markets))
          AND NOT EXISTS (
              SELECT 1 FROM compliance_exceptions e
              WHERE e.version_id = f.version_id AND e.market = f.market AND e.pack_key = f.pack_key
                AND e.rule = f.rule AND e.field = f.field AND e.start = f.start AND e.matched = f.matched
          )
    ) AS open_findings
    FROM waiting w
    ORDER BY w.since, w.asset_id
    """
)


@dataclass(frozen=True)
class QueueItem:
    asset_id: uuid.UUID
    title: str
    version_id: uuid.UUID
    version: str  # "v1.2"
    since: datetime  # when the version was added
    awaiting: list[tuple[str, str]]  # (market, stage) pairs still without a decision
    open_findings: int


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    total: int  # versions waiting in all, beyond this page too


def awaiting_me(*, session: Session, principal: Principal, limit: int = 50, offset: int = 0) -> Queue:
    """What waits for the caller's decision in their markets (all of them for an all-markets
    reviewer), oldest version first."""
    principal.require("asset.review")
    limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
    rows = session.execute(
        _QUEUE,
        {
            "everywhere": principal.all_regions,
            "markets": sorted(principal.visible_markets),
            "limit": limit,
            "offset": offset,
        },
    ).all()
    items = [
        QueueItem(
            asset_id=r.asset_id,
            title=r.title,
            version_id=r.version_id,
            version=f"v{r.major}.{r.minor}",
            since=r.since,
            awaiting=[_pair(pair) for pair in r.awaiting],
            open_findings=int(r.open_findings),
        )
        for r in rows
    ]
    return Queue(items=items, total=int(rows[0].total) if rows else 0)


def _pair(market_stage: str) -> tuple[str, str]:
    market, stage = market_stage.split(":", 1)
    return market, stage
