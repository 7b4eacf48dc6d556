"""The asset page's "Usable in this market?" verdicts and its rights records, as display values; and
whether the original may be downloaded by the reader (else why not, and whether they may override)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dam_app.accounts.principal import Principal
from dam_app.rights import guard
from dam_app.rights.models import RightsRecordRead, Verdict, VerdictRead

SEVERITY = {Verdict.BLOCKED: "Blocks", Verdict.CONDITIONS: "Condition"}
MUSIC = {"": "not recorded", "licensed": "licensed", "no_music": "no music"}


@dataclass
class VerdictRow:
    market: str = ""
    verdict: str = ""  # usable, conditions, blocked: the badge's colour
    label: str = ""
    reasons: list[str] = field(default_factory=list)


@dataclass
class RecordRow:
    id: int = 0
    revision: int = 0
    source: str = ""
    scope: str = ""  # "All versions" or "Only v1.2"
    licensor: str = ""
    licence_id: str = ""
    markets: str = ""
    period: str = ""
    usages: str = ""
    releases: str = ""
    minors: str = ""
    music: str = ""
    note: str = ""
    updated: str = ""
    # What the edit form starts from.
    start: str = ""
    end: str = ""
    usages_raw: str = ""
    model_release: str = ""
    property_release: str = ""
    music_raw: str = ""
    music_licence: str = ""
    version_id: str = ""  # "" : all versions
    creator: str = ""
    copyright: str = ""


@dataclass
class RightsView:
    verdicts: list[VerdictRow] = field(default_factory=list)
    records: list[RecordRow] = field(default_factory=list)
    can_edit: bool = False
    download_blocked: str = ""  # why the reader may not download the original ("" : they may)
    can_override: bool = False


def rights_view(judged: list[VerdictRead], records: list[RightsRecordRead], principal: Principal) -> RightsView:
    """`judged`: the verdicts in the reader's markets (guard.verdicts_for)."""
    blocked = guard.blocked_for(judged)
    return RightsView(
        verdicts=[_verdict_row(v) for v in judged],
        records=[_record_row(r) for r in records],
        can_edit=principal.can("asset.review"),
        download_blocked=guard.explain(blocked, principal) if blocked else "",
        can_override=bool(blocked) and principal.can(guard.OVERRIDE_PERMISSION),
    )


def _verdict_row(v: VerdictRead) -> VerdictRow:
    return VerdictRow(
        market=v.market,
        verdict=v.verdict,
        label=v.label,
        reasons=[f"{SEVERITY.get(Verdict(r.severity), r.severity)}: {r.text}" for r in v.reasons],
    )


def _day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment else ""


def _record_row(r: RightsRecordRead) -> RecordRow:
    releases = [f"model {r.model_release_status}" if r.model_release_status else ""]
    releases.append(f"property {r.property_release_status}" if r.property_release_status else "")
    return RecordRow(
        id=r.id,
        revision=r.revision,
        source="from the file" if r.source == "embedded" else "kept by people",
        scope=f"Only {r.version_label}" if r.version_label else "All versions",
        licensor=r.licence_source or "—",
        licence_id=r.licence_id,
        markets=", ".join(r.licensed_markets) or "no territory stated",
        period=f"{_day(r.licence_start) or 'open'} → {_day(r.licence_end) or 'open'}",
        usages=", ".join(r.usages) or "all uses",
        releases=", ".join(x for x in releases if x) or "none recorded",
        minors="minors shown" if r.minors else "",
        music=MUSIC.get(r.music, r.music) + (f" ({r.music_licence})" if r.music_licence else ""),
        note=r.note,
        updated=f"{r.updated_at:%Y-%m-%d %H:%M} UTC",
        start=_day(r.licence_start),
        end=_day(r.licence_end),
        usages_raw=", ".join(r.usages),
        model_release=r.model_release_status,
        property_release=r.property_release_status,
        music_raw=r.music,
        music_licence=r.music_licence,
        version_id=str(r.version_id) if r.version_id else "",
        creator=r.creator,
        copyright=r.copyright_notice,
    )
