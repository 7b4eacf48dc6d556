"""The asset page's "Compliance" panel as display values: each finding with the words highlighted in
their sentence (or boxed on the preview when they were read from the picture), open ones first,
and the exception a reviewer accepted, with who and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from dam_app.accounts.principal import Principal
from dam_app.review.compliance_models import ComplianceRead, FindingRead
from dam_app.review.rules.checks import Rule
from dam_app.ui.state.text_views import percent

RULE_LABELS = {
    Rule.ABSOLUTE_TERM: "Absolute term",
    Rule.MISSING_DISCLOSURE: "No disclosure",
    Rule.BURIED_DISCLOSURE: "Disclosure not first",
    Rule.WEAK_DISCLOSURE: "Weak disclosure",
    Rule.HEALTH_CLAIM: "Health claim",
}


@dataclass
class FindingRow:
    id: int = 0
    market: str = ""
    pack: str = ""
    rule: str = ""
    where: str = ""  # the text it is in: "Copy", "Text in the image"
    before: str = ""
    matched: str = ""
    after: str = ""
    message: str = ""
    open: bool = True
    exception: str = ""  # "Accepted by … on …: reason (evidence: …)"
    needs_evidence: bool = False
    boxed: bool = False
    left: str = ""  # CSS: the box over the preview, as percentages of it
    top: str = ""
    width: str = ""
    height: str = ""


@dataclass
class ComplianceView:
    note: str = "Not checked yet: the rule packs run after the text in the picture is read."
    open_count: int = 0
    findings: list[FindingRow] = field(default_factory=list)
    can_except: bool = False


def compliance_view(read: ComplianceRead, principal: Principal) -> ComplianceView:
    if read.checked_at is None:
        return ComplianceView(can_except=False)
    open_count = read.open_count
    if not read.findings:
        note = f"No findings in your markets (checked {read.checked_at:%Y-%m-%d %H:%M} UTC)."
    else:
        note = f"{open_count} open of {len(read.findings)} (checked {read.checked_at:%Y-%m-%d %H:%M} UTC)."
    return ComplianceView(
        note=note,
        open_count=open_count,
        findings=[_row(f) for f in read.findings],
        can_except=principal.can("asset.review"),
    )


def _row(f: FindingRead) -> FindingRow:
    exception = ""
    if f.exception is not None:
        e = f.exception
        exception = f"Accepted by {e.decided_by} on {e.decided_at:%Y-%m-%d}: {e.reason}"
        if e.evidence:
            exception += f" (evidence: {e.evidence})"
    box = f.box if f.box and len(f.box) == 4 else []
    left, top, width, height = [percent(v) for v in box] or ["", "", "", ""]
    return FindingRow(
        id=f.id,
        market=f.market,
        pack=f.pack_name,
        rule=RULE_LABELS.get(f.rule, f.rule),
        where=f.field_label,
        before=("…" if len(f.before) >= 40 else "") + f.before,
        matched=f.matched,
        after=f.after + ("…" if len(f.after) >= 40 else ""),
        message=f.message,
        open=f.exception is None,
        exception=exception,
        needs_evidence=f.rule == Rule.HEALTH_CLAIM,
        boxed=bool(box),
        left=left,
        top=top,
        width=width,
        height=height,
    )
