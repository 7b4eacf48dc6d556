"""One verdict per version and market, from its rights records, its compliance findings and its
approvals: usable, usable with conditions (each named), or blocked (each reason named).

The asset page and a download judge at the moment they are asked (`judge`); search, tiles and
filters read what `refresh` stored, which the worker keeps current (rights/jobs.py): after every
change (a trigger empties the asset's verdicts, migration 0020), and when the calendar alone changes the
answer (a licence starting, ending, or entering its last EXPIRY_NOTICE).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, select

from dam_app.accounts.models import User
from dam_app.assets.models import Asset, RightsRecord, Version
from dam_app.catalog import service as catalog_service
from dam_app.fields import utcnow
from dam_app.review import compliance
from dam_app.review.models import Approval, Decision
from dam_app.rights.models import VERDICT_LABELS, MarketVerdict, Music, Reason, Usage, Verdict, VerdictRead

EXPIRY_NOTICE = timedelta(days=14)
RELEASED = {"MR-UMR", "MR-LMR"}
RIGHTS, COMPLIANCE, APPROVAL = "rights", "compliance", "approval"


@dataclass
class Facts:
    """Everything a version's verdicts are made of, read once for all its markets."""

    asset: Asset
    version: Version
    records: list[RightsRecord]
    findings: dict[str, list[str]] | None  # open findings per market; None: not checked yet
    approvals: dict[tuple[str, str], tuple[str, str, str]]  # (market, stage) -> (decision, note, by)
    required: dict[str, list[str]]
    global_codes: set[str]


@dataclass
class _Judgement:
    reasons: list[Reason] = field(default_factory=list)
    changes_at: list[datetime] = field(default_factory=list)

    def block(self, kind: str, text: str) -> None:
        self.reasons.append(Reason(kind=kind, severity=Verdict.BLOCKED, text=text))

    def condition(self, kind: str, text: str) -> None:
        self.reasons.append(Reason(kind=kind, severity=Verdict.CONDITIONS, text=text))

    def read(self, market: str, now: datetime) -> VerdictRead:
        severities = {r.severity for r in self.reasons}
        verdict = next((v for v in (Verdict.BLOCKED, Verdict.CONDITIONS) if v in severities), Verdict.USABLE)
        self.reasons.sort(key=lambda r: r.severity != Verdict.BLOCKED)
        later = [t for t in self.changes_at if t > now]
        return VerdictRead(
            market=market,
            verdict=verdict,
            label=VERDICT_LABELS[verdict],
            reasons=self.reasons,
            valid_until=min(later) if later else None,
        )


def facts_of(session: Session, asset: Asset, version: Version) -> Facts:
    records = list(session.exec(select(RightsRecord).where(RightsRecord.asset_id == asset.id)))
    approvals = {
        (a.market, a.stage): (a.decision, a.note, email or "system")
        for a, email in session.exec(
            select(Approval, User.email)
            .join(User, col(User.id) == col(Approval.decided_by), isouter=True)
            .where(Approval.version_id == version.id)
        )
    }
    return Facts(
        asset=asset,
        version=version,
        records=records,
        findings=compliance.open_findings(session=session, version_id=version.id),
        approvals=approvals,
        required=catalog_service.review_stages(session=session, markets=list(asset.markets)),
        global_codes=set(catalog_service.global_market_codes(session=session)),
    )


def judge(facts: Facts, now: datetime | None = None, markets: list[str] | None = None) -> list[VerdictRead]:
    """The version's verdict in each of the asset's markets (or in `markets`: a global asset runs in
    every market, and its rights may cover only some of them), at `now`."""
    now = now or utcnow()
    reads = []
    for market in facts.asset.markets if markets is None else markets:
        judgement = _Judgement()
        _judge_rights(facts, market, now, judgement)
        _judge_compliance(facts, market, judgement)
        _judge_approvals(facts, market, judgement)
        reads.append(judgement.read(market, now))
    return reads


def judge_version(session: Session, asset: Asset, version: Version) -> list[VerdictRead]:
    return judge(facts_of(session, asset, version))


def refresh(*, session: Session, asset_id: uuid.UUID, skip_locked: bool = False) -> list[VerdictRead] | None:
    """Judge the asset's current version now and store it: the verdict rows, the asset's labels.
    The asset row is locked first, as every writer of it does, so two refreshes take turns; with
    `skip_locked` (the sweep) an asset someone is changing is left for the next turn (None)."""
    # Read afresh: a trigger may have emptied the labels since this session loaded the row.
    locked = (
        select(Asset)
        .where(Asset.id == asset_id)
        .with_for_update(skip_locked=skip_locked)
        .execution_options(populate_existing=True)
    )
    asset = session.exec(locked).first()
    if asset is None:
        return None if skip_locked else []
    version = session.get(Version, asset.current_version_id) if asset.current_version_id else None
    reads = judge_version(session, asset, version) if version is not None else []
    if version is not None:
        session.execute(
            delete(MarketVerdict).where(
                col(MarketVerdict.asset_id) == asset.id,
                (col(MarketVerdict.version_id) != version.id) | col(MarketVerdict.market).not_in(asset.markets),
            )
        )
        for read in reads:
            values = {
                "verdict": read.verdict,
                "reasons": [r.model_dump() for r in read.reasons],
                "computed_at": utcnow(),
                "valid_until": read.valid_until,
            }
            session.execute(
                insert(MarketVerdict)
                .values(version_id=version.id, market=read.market, asset_id=asset.id, **values)
                .on_conflict_do_update(index_elements=["version_id", "market"], set_=values)
            )
    # "-" stands for "judged, no market": the sweep looks for empty labels (never judged).
    asset.verdicts = [f"{r.market}:{r.verdict}" for r in reads] or ["-"]
    asset.usable_in = sorted(r.market for r in reads if r.verdict != Verdict.BLOCKED)
    session.add(asset)
    session.flush()
    return reads


def stored_or_judged(session: Session, asset: Asset, version: Version) -> list[VerdictRead]:
    """The stored verdicts of the current version while they hold; otherwise judged now (an older
    version, a change not judged yet, or a date passed since)."""
    now = utcnow()
    judged = bool(asset.verdicts) and all(":" in label for label in asset.verdicts)  # not "-", "!" or unjudged
    if version.id == asset.current_version_id and judged:
        rows = session.exec(select(MarketVerdict).where(MarketVerdict.version_id == version.id)).all()
        if {r.market for r in rows} == set(asset.markets) and all(
            r.valid_until is None or r.valid_until > now for r in rows
        ):
            return [
                VerdictRead(
                    market=r.market,
                    verdict=r.verdict,
                    label=VERDICT_LABELS[Verdict(r.verdict)],
                    reasons=[Reason.model_validate(x) for x in r.reasons],
                    valid_until=r.valid_until,
                )
                for r in rows
            ]
    return judge_version(session, asset, version)


def _covers(record: RightsRecord, market: str, global_codes: set[str]) -> bool:
    return market in record.licensed_markets or bool(global_codes & set(record.licensed_markets))


def _judge_rights(facts: Facts, market: str, now: datetime, judgement: _Judgement) -> None:
    # A version's own records, where they speak for this market, stand in for the asset's.
    own = [r for r in facts.records if r.version_id == facts.version.id]
    shared = [r for r in facts.records if r.version_id is None]
    pool = own if any(_covers(r, market, facts.global_codes) for r in own) or not shared else shared
    if not pool:
        judgement.condition(RIGHTS, "no rights record: confirm the licence before use")
        _judge_releases(facts, [], judgement)
        return
    territorial = [r for r in pool if r.licensed_markets]
    covering = [r for r in territorial if _covers(r, market, facts.global_codes)]
    if territorial and not covering:
        licensed = sorted({m for r in territorial for m in r.licensed_markets})
        if market in facts.global_codes:
            judgement.condition(RIGHTS, f"licensed only in {', '.join(licensed)}, not worldwide")
            covering = territorial
        else:
            judgement.block(RIGHTS, f"not licensed in {market} (licensed in {', '.join(licensed)})")
            _judge_releases(facts, pool, judgement)
            return
    if not covering:
        judgement.condition(RIGHTS, "the licence names no territory: confirm it covers this market")
        covering = pool
    for r in covering:
        judgement.changes_at += [t for t in (r.licence_start, r.licence_end) if t is not None]
        if r.licence_end is not None:
            judgement.changes_at.append(r.licence_end - EXPIRY_NOTICE)
    active = [r for r in covering if _active(r, now)]
    if not active:
        starts = sorted(r.licence_start for r in covering if r.licence_start and r.licence_start > now)
        if starts:
            judgement.block(RIGHTS, f"the licence starts on {starts[0]:%Y-%m-%d}")
        else:
            ended = max(r.licence_end for r in covering if r.licence_end is not None)
            judgement.block(RIGHTS, f"the licence ended on {ended:%Y-%m-%d}")
        _judge_releases(facts, covering, judgement)
        return
    ends = [r.licence_end for r in active if r.licence_end is not None]
    if ends and len(ends) == len(active) and max(ends) - now <= EXPIRY_NOTICE:
        days = (max(ends) - now).days
        judgement.condition(RIGHTS, f"the licence ends on {max(ends):%Y-%m-%d} (in {days} days)")
    usages = set().union(*(set(r.usages) for r in active))
    if usages and not any(not r.usages for r in active) and usages != set(Usage):
        judgement.condition(RIGHTS, f"licensed for {', '.join(sorted(usages))} use only")
    _judge_releases(facts, active, judgement)


def _active(record: RightsRecord, now: datetime) -> bool:
    return (record.licence_start is None or record.licence_start <= now) and (
        record.licence_end is None or now < record.licence_end
    )


def _judge_releases(facts: Facts, records: list[RightsRecord], judgement: _Judgement) -> None:
    """Model releases for people shown (minors included), property releases, music in a video."""
    releases = {r.model_release_status for r in records if r.model_release_status}
    if facts.asset.has_person or any(r.minors for r in records):
        if not releases & RELEASED:
            who = "minors are shown" if any(r.minors for r in records) else "a person is shown"
            judgement.block(RIGHTS, f"{who} and no model release is recorded")
        elif "MR-UMR" not in releases:
            judgement.condition(RIGHTS, "the model release is limited (MR-LMR): keep to its terms")
    if any(r.property_release_status == "PR-LPR" for r in records):
        judgement.condition(RIGHTS, "the property release is limited (PR-LPR): keep to its terms")
    version = facts.version
    music_cleared = bool({r.music for r in records} & {Music.LICENSED, Music.NO_MUSIC})
    if version.mime.startswith("video/") and version.audio_codec and not music_cleared:
        judgement.block(
            RIGHTS, "the video has sound and no music licence is recorded (record 'no music' if it is voice only)"
        )


def _judge_compliance(facts: Facts, market: str, judgement: _Judgement) -> None:
    if facts.findings is None:
        judgement.condition(COMPLIANCE, "the compliance check has not run on this version yet")
        return
    if market in facts.global_codes:  # a global asset runs everywhere: every market's findings count
        found = [f"{m}: {words}" for m, listed in sorted(facts.findings.items()) for words in listed]
    else:
        found = facts.findings.get(market, [])
    if found:
        listed = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
        judgement.block(COMPLIANCE, f"{len(found)} open compliance finding{'s' * (len(found) > 1)}: {listed}")


def _judge_approvals(facts: Facts, market: str, judgement: _Judgement) -> None:
    if market not in facts.asset.markets:  # a global asset judged for one market: decided as global
        market = next((m for m in facts.asset.markets if m in facts.global_codes), market)
    awaiting = []
    for stage in facts.required.get(market, ["legal"]):
        decided = facts.approvals.get((market, stage))
        if decided is None:
            awaiting.append(stage)
            continue
        decision, note, by = decided
        said = f": {note}" if note else ""
        if decision == Decision.REJECTED:
            judgement.block(APPROVAL, f"rejected at {stage} review by {by}{said}")
        elif decision == Decision.APPROVED_WITH_CHANGES:
            judgement.condition(APPROVAL, f"approved at {stage} review with changes by {by}{said}")
    if awaiting:
        judgement.condition(APPROVAL, f"awaiting {' and '.join(awaiting)} approval")
