"""Compliance: the rule packs' precision and recall on the test set, findings per version and market,
exceptions that survive a re-check, pack edits as audited versions, and every bad input refused
with its reason."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from dam_app.accounts.principal import PermissionDenied
from dam_app.assets.models import Version
from dam_app.audit.models import AuditEvent
from dam_app.errors import Conflict, Invalid
from dam_app.review import compliance, rule_packs
from dam_app.review.rules import checks, packs
from dam_app.review.rules.builtin import BUILTIN_PACKS
from dam_app.tagging.models import ImageText
from tests import factories
from tests.review.compliance_set import banners
from tests.review.compliance_set.evaluate import evaluate, report


def test_each_pack_reaches_its_precision_and_recall_on_the_test_set() -> None:
    scores, _ = evaluate()
    print(report())
    assert set(scores) == {"cn-ad-law-art9", "us-ftc-endorsement", "health-claims"}
    for score in scores.values():
        assert score.right >= 15, f"{score.key}: too few expected findings to measure"
        assert score.recall >= 0.95, report()
        assert score.precision >= 0.90, report()


def test_on_banners_read_by_ocr_each_pack_reaches_the_same_bar(tmp_path) -> None:
    """The banner half: 40 snippets drawn on banners and read back by the product's OCR, held to the
    issue's bar as the copy is. What OCR still gets wrong shows in the report: a superscript ® read as
    a quote (the registered-name exemption cannot see it, one false alarm)."""
    cases = [(s, [banners.read_back(banners.draw(s, i, tmp_path), s["lang"])]) for i, s in enumerate(banners.chosen())]
    assert len(cases) == banners.COUNT and {s["lang"] for s, _ in cases} == {"zh", "en", "ja", "de", "es"}
    scores, _ = evaluate(cases)
    print(report(cases, f"{len(cases)} banners read by OCR"))
    assert sum(s.right for s in scores.values()) >= 25, report(cases)
    for score in scores.values():
        assert score.recall >= 0.95 and score.precision >= 0.90, report(cases)


def test_a_pack_with_an_invalid_pattern_is_refused_with_its_reason(tx: Session) -> None:
    admin = factories.admin(tx)
    with pytest.raises(packs.PackError, match=r"exempt_patterns: the pattern '\(best' is not a valid regular"):
        packs.validated("absolute_terms", {"terms": ["best"], "exempt_patterns": ["(best"]})
    with pytest.raises(Invalid, match="not a valid regular expression") as refused:
        rule_packs.save_pack(
            session=tx, principal=admin, key="health-claims", definition={"patterns": [r"\bcures?\b", "[a-"]}
        )
    assert "'[a-'" in str(refused.value)
    with pytest.raises(Invalid, match="terms: the pack needs at least one entry here"):
        rule_packs.save_pack(session=tx, principal=admin, key="cn-ad-law-art9", definition={"terms": [" "]})
    assert [p.version for p in rule_packs.history(session=tx, principal=admin, key="health-claims")] == [1]


def _findings(session: Session, principal, asset_id) -> set[tuple[str, str, str]]:
    read = compliance.findings_for(session=session, principal=principal, asset_id=asset_id)
    return {(f.market, f.rule, f.matched) for f in read.findings}


def test_findings_per_market_in_scope_and_exceptions_survive_a_recheck(tx: Session) -> None:
    admin = factories.admin(tx)
    asset = factories.asset(
        tx,
        title="Lumiere glow serum",
        markets=["CN", "NA"],
        tags=["influencer"],
        copy="全网最低价 glow serum #sp\nClinically proven hydration",
    )
    version_id = asset.current_version_id
    assert version_id is not None
    assert compliance.findings_for(session=tx, principal=admin, asset_id=asset.id).checked_at is None
    assert compliance.check_version(session=tx, version_id=version_id) == 5
    assert _findings(tx, admin, asset.id) == {
        ("CN", "absolute_term", "最低价"),
        ("CN", "health_claim", "Clinically proven"),
        ("NA", "health_claim", "Clinically proven"),
        ("NA", "weak_disclosure", "#sp"),
        ("NA", "missing_disclosure", ""),
    }
    cn = factories.user(tx, role="reviewer", regions=["CN"]).principal
    na = factories.user(tx, role="reviewer", regions=["NA"]).principal
    assert {m for m, _, _ in _findings(tx, cn, asset.id)} == {"CN"}  # another market's findings stay hidden
    read = compliance.findings_for(session=tx, principal=cn, asset_id=asset.id)
    term = next(f for f in read.findings if f.rule == "absolute_term")
    assert (term.field_label, term.before, term.after[:12]) == ("Copy", "全网", " glow serum ")
    with pytest.raises(PermissionDenied):
        compliance.accept_exception(session=tx, principal=na, asset_id=asset.id, finding_id=term.id, reason="ok")
    with pytest.raises(Invalid, match="say why"):
        compliance.accept_exception(session=tx, principal=cn, asset_id=asset.id, finding_id=term.id, reason="  ")
    claim = next(f for f in read.findings if f.rule == "health_claim")
    with pytest.raises(Invalid, match="needs its evidence"):
        compliance.accept_exception(session=tx, principal=cn, asset_id=asset.id, finding_id=claim.id, reason="true")
    accepted = compliance.accept_exception(
        session=tx, principal=cn, asset_id=asset.id, finding_id=term.id, reason="Price verified against Tmall on 11.11"
    )
    assert accepted.exception is not None and accepted.exception.decided_by == cn.email

    compliance.check_version(session=tx, version_id=version_id)  # a pack changed: checked again
    again = compliance.findings_for(session=tx, principal=cn, asset_id=asset.id)
    kept = next(f for f in again.findings if f.rule == "absolute_term")
    assert kept.id != term.id and kept.exception is not None and again.findings[-1].id == kept.id  # open first
    assert tx.exec(select(AuditEvent).where(AuditEvent.action == "compliance.exception")).one()


def test_a_global_asset_answers_to_every_markets_pack_and_text_on_the_picture_is_boxed(tx: Session) -> None:
    admin = factories.admin(tx)
    asset = factories.asset(tx, title="Winter sale", markets=["GLOBAL"])
    assert asset.current_version_id is not None
    tx.add(
        ImageText(
            version_id=asset.current_version_id,
            asset_id=asset.id,
            status="read",
            text="冬季大促\n顶级羽绒服",
            lines=[
                {"text": "冬季大促", "box": [0.05, 0.2, 0.4, 0.1], "confidence": 0.9},
                {"text": "顶级羽绒服", "box": [0.05, 0.4, 0.5, 0.08], "confidence": 0.9},
            ],
        )
    )
    tx.flush()
    compliance.check_version(session=tx, version_id=asset.current_version_id)
    (finding,) = compliance.findings_for(session=tx, principal=admin, asset_id=asset.id).findings
    assert (finding.market, finding.matched, finding.field) == ("CN", "顶级", checks.IMAGE_TEXT)
    assert finding.box == [0.05, 0.4, 0.5, 0.08] and finding.after == "羽绒服"


def test_a_pack_edit_is_a_new_audited_version_and_a_stale_edit_is_refused(tx: Session) -> None:
    admin = factories.admin(tx)
    asset = factories.asset(tx, title="Trail runner", markets=["NA"], copy="Our tea detoxes your liver")
    assert asset.current_version_id is not None
    assert compliance.check_version(session=tx, version_id=asset.current_version_id) == 0
    (current,) = [p for p in rule_packs.list_packs(session=tx, principal=admin) if p.key == "health-claims"]
    edited = {**current.definition, "patterns": [*current.definition["patterns"], r"\bdetox(?:es)?\b"]}
    saved = rule_packs.save_pack(
        session=tx, principal=admin, key="health-claims", definition=edited, note="detox claims", base_version=1
    )
    assert (saved.version, saved.note) == (2, "detox claims")
    with pytest.raises(Conflict, match="is at version 2 now, not 1"):
        rule_packs.save_pack(session=tx, principal=admin, key="health-claims", definition=edited, base_version=1)
    viewer = factories.user(tx, role="viewer", all_regions=True).principal
    with pytest.raises(PermissionDenied):
        rule_packs.save_pack(session=tx, principal=viewer, key="health-claims", definition=edited)
    assert compliance.check_version(session=tx, version_id=asset.current_version_id) == 1
    assert _findings(tx, admin, asset.id) == {("NA", "health_claim", "detoxes")}
    assert [p.version for p in rule_packs.history(session=tx, principal=admin, key="health-claims")] == [2, 1]
    assert tx.exec(select(AuditEvent).where(AuditEvent.action == "compliance.pack_saved")).one()
    assert tx.get(Version, asset.current_version_id) is not None


def test_patterns_that_match_nothing_and_global_market_codes_are_refused(tx: Session) -> None:
    admin = factories.admin(tx)
    with pytest.raises(packs.PackError, match=r"the pattern 'x\?' matches empty text"):
        packs.validated("claims", {"patterns": ["x?"]})
    health = next(p for p in rule_packs.list_packs(session=tx, principal=admin) if p.key == "health-claims")
    with pytest.raises(Invalid, match=r'GLOBAL is no market of its own: use "\*"'):
        rule_packs.save_pack(
            session=tx, principal=admin, key="health-claims", definition=health.definition, markets=["GLOBAL"]
        )
    with pytest.raises(Invalid, match="at least one market"):
        rule_packs.save_pack(session=tx, principal=admin, key="health-claims", definition=health.definition, markets=[])


def test_a_global_assets_finding_is_accepted_only_by_a_reviewer_of_every_market(tx: Session) -> None:
    asset = factories.asset(tx, title="Winter tea", markets=["GLOBAL"], copy="Lowers blood pressure")
    assert asset.current_version_id is not None
    compliance.check_version(session=tx, version_id=asset.current_version_id)
    regional = factories.user(tx, role="reviewer", regions=["SEA"]).principal
    (finding,) = compliance.findings_for(session=tx, principal=regional, asset_id=asset.id).findings
    assert finding.market == "GLOBAL"
    with pytest.raises(PermissionDenied, match="only a reviewer of all markets"):
        compliance.accept_exception(
            session=tx, principal=regional, asset_id=asset.id, finding_id=finding.id, reason="ok", evidence="study"
        )
    everywhere = factories.user(tx, role="reviewer", all_regions=True).principal
    accepted = compliance.accept_exception(
        session=tx, principal=everywhere, asset_id=asset.id, finding_id=finding.id, reason="ok", evidence="study 7"
    )
    assert accepted.exception is not None


def test_long_texts_stay_linear_and_findings_are_capped() -> None:
    cn = next(p for p in BUILTIN_PACKS if p["key"] == "cn-ad-law-art9")
    ftc = next(p for p in BUILTIN_PACKS if p["key"] == "us-ftc-endorsement")
    tips = checks.TextField(checks.COPY, "最佳食用期限 " * 20_000)
    assert checks.run(packs.validated(cn["kind"], cn["definition"]), [tips]) == []
    claims = checks.TextField(checks.COPY, "顶级 " * 5_000)
    assert len(checks.run(packs.validated(cn["kind"], cn["definition"]), [claims])) == checks.MAX_PER_FIELD
    blank = checks.TextField(checks.DESCRIPTION, "My morning tea" + "\n" * 50_000 + "#ad")
    found = checks.run(packs.validated(ftc["kind"], ftc["definition"]), [blank], ["influencer"])
    assert [m.rule for m in found] == ["buried_disclosure"]


def test_two_checks_of_one_version_at_once_leave_each_finding_once(db) -> None:
    import threading

    from dam_app.db import session_scope
    from dam_app.review.compliance_models import Finding

    with session_scope() as session:
        asset = factories.asset(session, title="Sleep tea", markets=["CN"], copy="国家级 顶级 最好")
        version_id = asset.current_version_id
    assert version_id is not None

    def check() -> None:
        with session_scope() as session:
            compliance.check_version(session=session, version_id=version_id)

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_scope() as session:
        assert len(session.exec(select(Finding).where(Finding.version_id == version_id)).all()) == 3
