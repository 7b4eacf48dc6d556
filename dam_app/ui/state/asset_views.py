"""The asset page's typed rows, built from one `overview.read`: what AssetState shows, and what each
panel (review, edit) starts from. Pure functions: no session, no event loop concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dam_app.accounts.principal import Principal
from dam_app.assets.models import RightsTerms
from dam_app.assets.overview import AssetOverview
from dam_app.assets.proxy import PROXY
from dam_app.fields import utcnow
from dam_app.tagging.service import AssetTagView
from dam_app.ui import routes
from dam_app.ui.state.cards import look_alike_item
from dam_app.ui.state.comments_views import CommentsView
from dam_app.ui.state.compliance_views import ComplianceView
from dam_app.ui.state.rights_views import RightsView
from dam_app.ui.state.text_views import TextView, text_view

NONE = "—"  # shown for an empty field, and the edit form's select value that clears one


@dataclass
class Summary:
    """The header and classification table, as display strings."""

    id: str = ""
    title: str = ""
    description: str = NONE
    status: str = ""
    error: str = ""  # the current version's processing error
    version: str = ""  # the current version's label (the header's badge)
    version_id: str = ""
    newer: str = ""  # on an older version's page: "A newer version exists: v1.2, 2 h ago"
    latest_url: str = ""
    compare_latest_url: str = ""
    markets: str = NONE
    content_type: str = NONE
    campaign: str = NONE
    phase: str = NONE
    channel: str = NONE
    colours: str = NONE
    orientation: str = NONE
    people: str = NONE
    downloads: str = "0"


@dataclass
class Row:
    """A label and value of a two-column table (file facts, rights)."""

    label: str
    value: str


@dataclass
class StageRow:
    stage: str
    status: str
    attempts: str
    error: str
    ms: str


@dataclass
class VersionRow:
    label: str
    filename: str
    note: str
    size: str
    created: str
    url: str
    id: str = ""
    current: bool = False  # the version the page shows; the others can be restored
    compare_url: str = ""  # this version against the current one (empty on the current row)
    view_url: str = ""  # the asset page showing this version


@dataclass
class TagRow:
    name: str
    kind: str
    source: str
    evidence: str  # shown on hover: "OCR: '40% OFF'", "embedded IPTC/XMP keyword"


@dataclass
class DecisionRow:
    market: str
    stage: str
    decision: str
    by: str
    at: str
    note: str


@dataclass
class SinceRow:
    """For one market that approved an earlier version: what changed since, and where to compare."""

    market: str
    state: str  # unchanged | changed | comparing | not_compared
    label: str  # the state in words
    text: str
    compare_url: str


@dataclass
class ReviewView:
    """The review panel's data; its form (market, stage, note) lives in ReviewState."""

    states: str = ""
    decisions: list[DecisionRow] = field(default_factory=list)
    since: list[SinceRow] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)  # where the viewer may decide
    can_review: bool = False


@dataclass
class EditView:
    """Whether the viewer may edit, and the values and choices the edit form opens on."""

    can_edit: bool = False
    title: str = ""
    description: str = ""
    markets: list[str] = field(default_factory=list)
    campaign: str = ""  # its name, as typed in the form
    content_type: str = NONE
    phase: str = NONE
    channel: str = NONE
    language: str = ""
    tags: list[str] = field(default_factory=list)
    market_choices: list[list[str]] = field(default_factory=list)  # [code, name] within the editor's scope
    content_types: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PageView:
    """Everything AssetState shows, assigned in one go (`AssetState._show`)."""

    asset: Summary
    preview_url: str
    is_video: bool
    original_url: str
    video_url: str  # the viewing copy once made (plays for people the original is blocked for), else the original
    stages: list[StageRow]
    versions: list[VersionRow]
    rights: list[Row]
    facts: list[Row]
    tags: list[TagRow]
    look_alikes: list[dict[str, str]]  # the card shape every look-alike list shares (state/cards.py)
    look_alike_note: str
    processing: bool
    review: ReviewView
    edit: EditView
    text: TextView
    compliance: ComplianceView = field(default_factory=ComplianceView)
    rights_panel: RightsView = field(default_factory=RightsView)
    comments: CommentsView = field(default_factory=CommentsView)
    copy_text: str = ""


def _video_url(renditions: dict[str, Any], shown: Any) -> str:
    if shown is None or not shown.mime.startswith("video/"):
        return ""
    proxy = renditions.get(PROXY)
    return routes.rendition_url(proxy.id) if proxy is not None else routes.original_url(shown.id)


def _evidence(tag: AssetTagView) -> str:
    who = "added by a person" if tag.source == "person" else f"automatic, {tag.confidence:.0%} sure"
    return f"{tag.evidence} ({who})" if tag.evidence else who


def page_view(overview: AssetOverview, principal: Principal) -> PageView:
    detail = overview.detail
    a, current = detail.asset, detail.current
    shown = detail.shown or current  # the version asked for, else the current one
    preview = detail.renditions.get("preview")
    processing = a.status == "processing"
    look_alikes: list[dict[str, str]] = []
    if processing:
        note = "Look-alikes appear when processing finishes."
    elif overview.similar is None:
        note = overview.nothing_to_compare.capitalize() + "."
    else:
        look_alikes = [look_alike_item(h) for h in overview.similar.hits]
        basis = (
            "colours, layout and shapes" if overview.similar.basis == "pixels" else "meaning (a document has no pixels)"
        )
        note = f"Compared by {basis}." if look_alikes else "Nothing alike yet."
    return PageView(
        asset=Summary(
            id=str(a.id),
            title=a.title,
            description=a.description or NONE,
            status=a.status,
            error=(current.processing_error or "") if current else "",
            version=shown.label if shown else "",
            version_id=str(shown.id) if shown else "",
            **_newer_notice(a.id, shown, current),
            markets=", ".join(a.markets) or NONE,
            content_type=a.content_type or NONE,
            campaign=a.campaign or NONE,
            phase=a.phase or NONE,
            channel=a.channel or NONE,
            colours=", ".join(a.colours) or NONE,
            orientation=a.orientation or NONE,
            people="yes" if a.has_person else NONE,
            downloads=str(a.use_count),
        ),
        preview_url=routes.rendition_url(preview.id) if preview else "",
        is_video=bool(shown and shown.mime.startswith("video/")),
        original_url=routes.original_url(shown.id) if shown else "",
        video_url=_video_url(detail.renditions, shown),
        stages=[
            StageRow(
                stage=s.stage,
                status=s.status,
                attempts=str(s.attempts),
                error=s.error or "",
                ms=f"{s.duration_ms:.0f} ms" if s.duration_ms is not None else "",
            )
            for s in detail.stages
        ],
        versions=[
            VersionRow(
                label=v.label,
                filename=v.original_filename,
                note=v.change_note or "",
                size=f"{v.size / 1024:.0f} KB",
                created=v.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                url=routes.original_url(v.id),
                id=str(v.id),
                current=current is not None and v.id == current.id,
                compare_url=routes.compare_url(a.id, v.id, current.id) if current and v.id != current.id else "",
                view_url=f"{routes.asset_url(a.id)}?version={v.id}",
            )
            for v in detail.versions
        ],
        rights=_rights_rows(next((r for r in detail.rights if r.source == "embedded"), None)),
        facts=_fact_rows(shown) if shown else [],
        tags=[TagRow(name=t.name, kind=t.kind, source=t.source, evidence=_evidence(t)) for t in detail.tags],
        text=text_view(overview.picture_text),
        look_alikes=look_alikes,
        look_alike_note=note,
        processing=processing,
        review=_review_view(overview, principal),
        edit=_edit_view(overview, principal),
    )


def _review_view(overview: AssetOverview, principal: Principal) -> ReviewView:
    a = overview.detail.asset
    markets = principal.readable_markets(a.markets)
    return ReviewView(
        states=", ".join(s.replace("_", " ") for s in a.approval_states),
        decisions=_matrix(overview),
        since=[
            SinceRow(
                c.market,
                c.state,
                f"{c.market}: {c.state.replace('_', ' ')} since {c.since}",
                c.text,
                routes.compare_url(a.id, c.since_version_id, a.current_version_id),
            )
            for c in overview.since_approved
            if a.current_version_id is not None
        ],
        markets=markets,
        can_review=principal.can("asset.review") and bool(markets),
    )


def _matrix(overview: AssetOverview) -> list[DecisionRow]:
    """Market x stage for the current version: each stage the market requires, decided or awaiting,
    then any decision at a stage it does not require."""
    decided = {(d.market, d.stage): d for d in overview.decisions}
    rows = []
    for market, stages in overview.required_stages.items():
        extra = sorted(stage for m, stage in decided if m == market and stage not in stages)
        for stage in [*stages, *extra]:
            d = decided.get((market, stage))
            if d is None:
                rows.append(DecisionRow(market=market, stage=stage, decision="awaiting", by="", at="", note=""))
            else:
                at = d.decided_at.strftime("%Y-%m-%d %H:%M UTC")
                rows.append(DecisionRow(market, stage, d.decision, d.decided_by, at, d.note))
    return rows


def _edit_view(overview: AssetOverview, principal: Principal) -> EditView:
    vocabulary = overview.vocabulary
    if vocabulary is None:  # the read leaves it out for those who may not edit
        return EditView()
    a = overview.detail.asset
    return EditView(
        can_edit=True,
        title=a.title,
        description=a.description,
        markets=list(a.markets),
        campaign=next((c.name for c in vocabulary.campaigns if c.slug == a.campaign), ""),
        content_type=a.content_type or NONE,
        phase=a.phase or NONE,
        channel=a.channel or NONE,
        language=a.language or "",
        tags=[t.name for t in overview.detail.tags],
        market_choices=[
            [m.code, m.name]
            for m in vocabulary.markets
            if principal.all_regions or m.code in principal.visible_markets or m.code in a.markets
        ],
        content_types=[NONE, *(t.code for t in vocabulary.content_types)],
        phases=[NONE, *(p.code for p in vocabulary.phases)],
        channels=[NONE, *(c.code for c in vocabulary.channels)],
    )


def _newer_notice(asset_id: Any, shown: Any, current: Any) -> dict[str, str]:
    """On an older version's page: which newer one exists, since when, and links to it."""
    if shown is None or current is None or shown.id == current.id:
        return {}
    return {
        "newer": f"A newer version exists: {current.label}, {ago(current.created_at)}",
        "latest_url": routes.asset_url(asset_id),
        "compare_latest_url": routes.compare_url(asset_id, shown.id, current.id),
    }


def ago(moment: datetime) -> str:
    """ "just now", "5 min ago", "2 h ago", "3 days ago"."""
    seconds = max(0, int((utcnow() - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def _rights_rows(record: Any) -> list[Row]:
    if record is None:
        return []
    labels = [(name, field.title or name) for name, field in RightsTerms.model_fields.items()]
    rows = []
    for name, label in labels:
        value = getattr(record, name)
        if value:
            rows.append(Row(label, value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)))
    return rows


def _fact_rows(version: Any) -> list[Row]:
    rows = [Row("File", version.original_filename), Row("Type", version.mime), Row("Size", f"{version.size:,} bytes")]
    if version.width and version.height:
        rows.append(Row("Dimensions", f"{version.width} x {version.height}"))
    if version.duration_s:
        rows.append(Row("Duration", f"{version.duration_s:.2f} s"))
    if version.video_codec:
        rows.append(Row("Codecs", f"{version.video_codec} / {version.audio_codec or 'no audio'}"))
    return rows
