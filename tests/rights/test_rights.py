"""Rights records and verdicts at the service level: records refused when they overlap, are stale or
malformed; one verdict per market from rights, findings and approvals; dates that change it (and the
sweep that notices); the 14-day notice; the download guard and its audited admin override."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from dam_app.accounts.principal import PermissionDenied
from dam_app.assets import service as assets_service
from dam_app.assets.dimensions import AssetFilter
from dam_app.assets.models import Asset, Version
from dam_app.audit.models import AuditEvent
from dam_app.errors import Conflict, Invalid
from dam_app.notify.models import AlertOutbox
from dam_app.review import compliance
from dam_app.review import service as review_service
from dam_app.rights import guard, jobs, verdicts
from dam_app.rights import service as rights_service
from dam_app.rights.models import MarketVerdict, RightsRecordIn
from tests import factories

NOW = datetime.now(UTC)


def _licence(
    markets: list[str], start: datetime | None = None, end: datetime | None = None, **more: Any
) -> RightsRecordIn:
    return RightsRecordIn.model_validate(
        {"licence_source": "Getty Images", "licence_id": "GI-1", "licensed_markets": markets,
         "licence_start": start, "licence_end": end, **more}
    )  # fmt: skip


def _verdicts(session: Session, asset: Asset, now: datetime | None = None) -> dict[str, tuple[str, list[str]]]:
    version = session.get(Version, asset.current_version_id)
    assert version is not None
    judged = verdicts.judge(verdicts.facts_of(session, asset, version), now)
    return {v.market: (v.verdict, [r.text for r in v.reasons]) for v in judged}


def test_records_are_refused_when_they_overlap_are_stale_or_malformed(tx: Session) -> None:
    reviewer = factories.user(tx, role="reviewer", regions=["CN", "NA"]).principal
    asset = factories.asset(tx, markets=["CN", "NA"])
    year = _licence(["CN", "NA"], NOW - timedelta(days=30), NOW + timedelta(days=335), note="<script>x</script>")
    first = rights_service.save_record(session=tx, principal=reviewer, asset_id=asset.id, data=year)
    assert first.revision == 1 and first.note == "<script>x</script>" and first.source == "person"

    overlapping = _licence(["NA"], NOW + timedelta(days=100), NOW + timedelta(days=500))
    with pytest.raises(Conflict, match=rf"record #{first.id} \(Getty Images, CN, NA, .*\) already covers NA"):
        rights_service.save_record(session=tx, principal=reviewer, asset_id=asset.id, data=overlapping)
    renewal = _licence(["NA"], NOW + timedelta(days=335), NOW + timedelta(days=700))  # starts as the first ends
    rights_service.save_record(session=tx, principal=reviewer, asset_id=asset.id, data=renewal)
    only_v1 = _licence(["NA"], version_id=asset.current_version_id)  # a version's own record: another scope
    rights_service.save_record(session=tx, principal=reviewer, asset_id=asset.id, data=only_v1)

    edited = rights_service.save_record(
        session=tx, principal=reviewer, asset_id=asset.id, data=year.model_copy(update={"usages": ["web"]}),
        record_id=first.id, revision=1,
    )  # fmt: skip
    assert (edited.revision, edited.usages) == (2, ["web"])
    with pytest.raises(Conflict, match="changed meanwhile"):
        rights_service.save_record(
            session=tx, principal=reviewer, asset_id=asset.id, data=year, record_id=first.id, revision=1
        )
    with pytest.raises(Conflict, match="changed meanwhile"):
        rights_service.delete_record(session=tx, principal=reviewer, asset_id=asset.id, record_id=first.id, revision=1)

    bad = [
        (_licence([]), Invalid, "name the markets"),
        (_licence(["XX"]), Invalid, "unknown market"),
        (_licence(["CN"], NOW, NOW - timedelta(days=1)), Invalid, "ends .* before it starts"),
        (_licence(["CN"], usages=["radio"]), Invalid, "unknown usage"),
        (_licence(["CN"], model_release_status="MR-YES"), Invalid, "not a PLUS code"),
        (_licence(["CN"], music="maybe"), Invalid, "music is"),
        (_licence(["GLOBAL"]), PermissionDenied, "worldwide"),
        (_licence(["CN"], version_id=factories.asset(tx).current_version_id), Invalid, "not one of this asset"),
    ]
    for data, error, message in bad:
        with pytest.raises(error, match=message):
            rights_service.save_record(session=tx, principal=reviewer, asset_id=asset.id, data=data)
    with pytest.raises(ValueError, match="NUL"):
        _licence(["CN"], note="a\x00b")
    editor = factories.user(tx, role="editor", regions=["CN"]).principal
    with pytest.raises(PermissionDenied):
        rights_service.save_record(session=tx, principal=editor, asset_id=asset.id, data=_licence(["CN"]))
    na_only = factories.user(tx, role="reviewer", regions=["NA"]).principal
    with pytest.raises(PermissionDenied, match="not scoped to market"):
        rights_service.save_record(session=tx, principal=na_only, asset_id=asset.id, data=_licence(["CN", "NA"]))

    records = rights_service.records_for(session=tx, principal=reviewer, asset_id=asset.id)
    assert [r.version_label for r in records] == [None, None, "v1.0"]
    actions = tx.exec(select(AuditEvent.action).where(AuditEvent.object_id == str(asset.id))).all()
    assert actions.count("rights.save") == 4


def test_one_verdict_per_market_from_rights_findings_and_approvals(tx: Session) -> None:
    admin = factories.admin(tx)
    reviewer = factories.user(tx, role="reviewer", regions=["CN", "NA"]).principal
    asset = factories.asset(tx, markets=["CN", "NA"], copy="全网最低价 限时抢购")
    assert asset.current_version_id is not None
    assert _verdicts(tx, asset)["NA"] == (
        "conditions",
        [
            "no rights record: confirm the licence before use",
            "the compliance check has not run on this version yet",
            "awaiting legal and brand approval",
        ],
    )
    compliance.check_version(session=tx, version_id=asset.current_version_id)
    rights_service.save_record(
        session=tx, principal=reviewer, asset_id=asset.id,
        data=_licence(["CN", "NA"], NOW - timedelta(days=1), NOW + timedelta(days=200), usages=["web", "social"]),
    )  # fmt: skip
    for stage, decision, note in (("legal", "approved", ""), ("brand", "approved_with_changes", "Crop the logo")):
        review_service.record_decision(
            session=tx, principal=reviewer, asset_id=asset.id, market="NA", stage=stage, decision=decision, note=note
        )
    with pytest.raises(Invalid, match="a rejection needs a note"):
        review_service.record_decision(
            session=tx, principal=reviewer, asset_id=asset.id, market="CN", stage="legal", decision="rejected"
        )
    judged = _verdicts(tx, asset)
    assert judged["NA"] == (
        "conditions",
        [
            "licensed for social, web use only",
            f"approved at brand review with changes by {reviewer.email}: Crop the logo",
        ],
    )
    cn_verdict, cn_reasons = judged["CN"]
    assert cn_verdict == "blocked" and cn_reasons[0].startswith("1 open compliance finding: absolute term “最低价”")

    finding = compliance.findings_for(session=tx, principal=reviewer, asset_id=asset.id).findings[0]
    compliance.accept_exception(
        session=tx, principal=reviewer, asset_id=asset.id, finding_id=finding.id, reason="Verified price log"
    )
    assert _verdicts(tx, asset)["CN"] == (
        "conditions", ["licensed for social, web use only", "awaiting legal and market approval"]
    )  # fmt: skip
    review_service.record_decision(
        session=tx, principal=reviewer, asset_id=asset.id, market="CN", stage="legal", decision="rejected",
        note="Price claim needs the platform's proof",
    )  # fmt: skip
    assert _verdicts(tx, asset)["CN"][0] == "blocked"

    verdicts.refresh(session=tx, asset_id=asset.id)
    tx.refresh(asset)
    assert (sorted(asset.verdicts), asset.usable_in) == (["CN:blocked", "NA:conditions"], ["NA"])
    usable_na = assets_service.list_assets(session=tx, principal=admin, filters=AssetFilter(usable_in=["NA"]))
    usable_cn = assets_service.list_assets(session=tx, principal=admin, filters=AssetFilter(usable_in=["CN"]))
    assert asset.id in {c.asset.id for c in usable_na.items} and asset.id not in {c.asset.id for c in usable_cn.items}
    # A change to what the verdict is made of marks the asset unjudged in the same transaction.
    review_service.record_decision(
        session=tx, principal=reviewer, asset_id=asset.id, market="NA", stage="brand", decision="approved"
    )
    tx.refresh(asset)
    assert asset.verdicts == [] and asset.id in jobs.due(tx)


def test_dates_releases_and_music_decide_and_the_sweep_follows_the_calendar(tx: Session) -> None:
    reviewer = factories.user(tx, role="reviewer", all_regions=True).principal
    asset = factories.asset(tx, markets=["NA", "EU"])
    end = NOW + timedelta(days=20)
    rights_service.save_record(
        session=tx, principal=reviewer, asset_id=asset.id, data=_licence(["NA"], NOW - timedelta(days=5), end)
    )
    judged = _verdicts(tx, asset)
    assert judged["EU"][0] == "blocked" and "not licensed in EU (licensed in NA)" in judged["EU"][1]
    assert not any("licence" in r for r in judged["NA"][1])
    soon = _verdicts(tx, asset, now=end - timedelta(days=3))["NA"][1]
    assert any(r.startswith(f"the licence ends on {end:%Y-%m-%d} (in 3 days)") for r in soon), soon
    after = _verdicts(tx, asset, now=end + timedelta(hours=1))["NA"]
    assert after[0] == "blocked" and f"the licence ended on {end:%Y-%m-%d}" in after[1]

    stored = {v.market: v for v in verdicts.refresh(session=tx, asset_id=asset.id) or []}
    assert stored["NA"].valid_until == end - verdicts.EXPIRY_NOTICE  # when the notice condition begins
    row = tx.get(MarketVerdict, (asset.current_version_id, "NA"))
    assert row is not None
    row.valid_until = NOW - timedelta(seconds=1)  # as if that moment had passed
    tx.add(row)
    tx.flush()
    assert asset.id in jobs.due(tx)

    tx.exec(select(Asset).where(Asset.id == asset.id)).one().has_person = True
    version = tx.get(Version, asset.current_version_id)
    assert version is not None
    version.mime, version.audio_codec = "video/mp4", "aac"
    tx.flush()
    reasons = _verdicts(tx, asset)["NA"][1]
    assert "a person is shown and no model release is recorded" in reasons
    assert any(r.startswith("the video has sound and no music licence") for r in reasons)
    record = rights_service.records_for(session=tx, principal=reviewer, asset_id=asset.id)[0]
    cleared = _licence(["NA"], NOW - timedelta(days=5), end, model_release_status="MR-LMR", music="no_music")
    rights_service.save_record(
        session=tx, principal=reviewer, asset_id=asset.id, data=cleared, record_id=record.id, revision=record.revision
    )
    reasons = _verdicts(tx, asset)["NA"][1]
    assert "the model release is limited (MR-LMR): keep to its terms" in reasons
    assert not any("music" in r or "no model release" in r for r in reasons)


def test_a_licence_ending_within_14_days_is_announced_once_per_end_date(tx: Session) -> None:
    reviewer = factories.user(tx, role="reviewer", all_regions=True).principal
    asset = factories.asset(tx, markets=["NA"], title="Aero hero")
    end = NOW + timedelta(days=10)
    saved = rights_service.save_record(
        session=tx, principal=reviewer, asset_id=asset.id, data=_licence(["NA"], NOW - timedelta(days=5), end)
    )
    assert jobs.alert_expiring(tx) == 1
    assert jobs.alert_expiring(tx) == 0
    alert = tx.exec(select(AlertOutbox).where(AlertOutbox.asset_id == asset.id)).one()
    assert alert.title == f"Licence ending {end:%Y-%m-%d}: Aero hero (NA)"
    assert "renew the licence" in alert.body and alert.urgent_markets == ["NA"]
    later = _licence(["NA"], NOW - timedelta(days=5), end + timedelta(days=2))
    rights_service.save_record(
        session=tx, principal=reviewer, asset_id=asset.id, data=later, record_id=saved.id, revision=saved.revision
    )
    assert jobs.alert_expiring(tx) == 1  # a new end date gets its own notice


def test_a_blocked_original_is_refused_to_its_markets_and_an_admin_override_is_audited(tx: Session) -> None:
    admin = factories.admin(tx)
    na_user = factories.user(tx, role="viewer", regions=["NA"]).principal
    both = factories.user(tx, role="viewer", regions=["NA", "CN"]).principal
    asset = factories.asset(tx, markets=["NA", "CN"])
    version_id = asset.current_version_id
    assert version_id is not None
    rights_service.save_record(
        session=tx, principal=admin, asset_id=asset.id,
        data=_licence(["CN"], NOW - timedelta(days=50), NOW + timedelta(days=50)),
    )  # fmt: skip
    with pytest.raises(guard.UsageBlocked, match=r"NA: not licensed in NA \(licensed in CN\)"):
        guard.guard_download(session=tx, principal=na_user, version_id=version_id, override=None)
    guard.guard_download(session=tx, principal=both, version_id=version_id, override=None)  # usable in CN
    guard.guard_download(session=tx, principal=admin, version_id=version_id, override=None)  # and for all markets
    with pytest.raises(PermissionDenied, match="only an admin"):
        guard.guard_download(session=tx, principal=na_user, version_id=version_id, override="urgent")

    expired = factories.asset(tx, markets=["NA"])
    assert expired.current_version_id is not None
    rights_service.save_record(
        session=tx, principal=admin, asset_id=expired.id,
        data=_licence(["NA"], NOW - timedelta(days=50), NOW - timedelta(days=1)),
    )  # fmt: skip
    with pytest.raises(guard.UsageBlocked, match=r"the licence ended on .*As an admin you may download it anyway"):
        guard.guard_download(session=tx, principal=admin, version_id=expired.current_version_id, override=None)
    with pytest.raises(Invalid, match="say why"):
        guard.guard_download(session=tx, principal=admin, version_id=expired.current_version_id, override=" ")
    guard.guard_download(
        session=tx, principal=admin, version_id=expired.current_version_id, override="Archive copy for legal"
    )
    audit = tx.exec(select(AuditEvent).where(AuditEvent.action == "asset.download_override")).one()
    assert audit.details["reason"] == "Archive copy for legal" and "NA" in audit.details["blocked"]
    assert guard.usable_in_market(session=tx, asset_id=expired.id, market="NA").verdict == "blocked"  # type: ignore[union-attr]


def test_a_global_asset_is_judged_in_each_readers_market_and_scopes_hold_on_edit(tx: Session) -> None:
    admin = factories.admin(tx)
    cn_user = factories.user(tx, role="viewer", regions=["CN"]).principal
    na_reviewer = factories.user(tx, role="reviewer", regions=["NA"]).principal
    asset = factories.asset(tx, markets=["GLOBAL"], copy="The best serum, No.1 in Asia")
    assert asset.current_version_id is not None
    version = tx.get(Version, asset.current_version_id)
    assert version is not None
    compliance.check_version(session=tx, version_id=version.id)
    only_na = rights_service.save_record(
        session=tx, principal=admin, asset_id=asset.id, data=_licence(["NA"], NOW - timedelta(days=1))
    )
    worldwide = guard.verdicts_for(tx, admin, asset, version)
    assert [v.market for v in worldwide] == ["GLOBAL"]
    reasons = [r.text for r in worldwide[0].reasons]
    assert "licensed only in NA, not worldwide" in reasons
    assert any(r.startswith("2 open compliance findings: CN: absolute term") for r in reasons), reasons
    (cn,) = guard.verdicts_for(tx, cn_user, asset, version)  # the global asset, judged for China
    assert cn.market == "CN" and "not licensed in CN (licensed in NA)" in [r.text for r in cn.reasons]
    with pytest.raises(guard.UsageBlocked, match="CN: not licensed in CN"):
        guard.guard_download(session=tx, principal=cn_user, version_id=version.id, override=None)

    # An NA reviewer may neither widen nor remove what another market's (or the world's) record says.
    cn_record = rights_service.save_record(
        session=tx, principal=admin, asset_id=asset.id, data=_licence(["CN"], NOW - timedelta(days=1))
    )
    with pytest.raises(PermissionDenied):
        rights_service.delete_record(
            session=tx, principal=na_reviewer, asset_id=asset.id, record_id=cn_record.id, revision=1
        )
    with pytest.raises(PermissionDenied):
        rights_service.save_record(
            session=tx, principal=na_reviewer, asset_id=asset.id, data=_licence(["NA"]),
            record_id=cn_record.id, revision=1,
        )  # fmt: skip
    assert only_na.id is not None


def test_a_versions_own_record_blocks_the_markets_it_leaves_out(tx: Session) -> None:
    admin = factories.admin(tx)
    asset = factories.asset(tx, markets=["EU", "NA"])
    rights_service.save_record(
        session=tx, principal=admin, asset_id=asset.id,
        data=_licence(["EU"], NOW - timedelta(days=1), version_id=asset.current_version_id),
    )  # fmt: skip
    judged = _verdicts(tx, asset)
    assert judged["NA"][0] == "blocked" and "not licensed in NA (licensed in EU)" in judged["NA"][1]
    assert judged["EU"][0] == "conditions"
