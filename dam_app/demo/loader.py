"""Create the demo admin and import the demo library once (a second start reuses both)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import col, select

from dam_app.accounts import service as accounts
from dam_app.accounts.models import User
from dam_app.accounts.principal import system_principal
from dam_app.assets.classify import Classification
from dam_app.assets.editing import AssetEdit, edit_asset
from dam_app.assets.importer import import_tree
from dam_app.assets.ingest import add_version
from dam_app.assets.models import Asset, Version
from dam_app.comments import service as comments_service
from dam_app.config import DEMO_PASSWORD, get_settings
from dam_app.db import session_scope
from dam_app.demo import board, generate
from dam_app.review import service as review_service
from dam_app.rights import service as rights_service
from dam_app.rights.models import RightsRecordIn

DEMO_VIEWER_EMAIL = "eu.viewer@dam.local"
MARKETS = {"NA": "en", "EU": "de", "JP": "ja", "CN": "zh", "SEA": "id", "LATAM": "es"}
DEMO_MARKETS = ("NA", "EU", "JP", "CN")
PHASES = ("warm-up", "peak", "encore")
OFFER_BANNER = "double-eleven-offer.png"
BILINGUAL_BANNER = "double-eleven-cn-jp.png"
BILINGUAL_LINES = (
    "双十一限时特惠",
    "ブラックフライデー限定",
    "ブラックフライデーセール",
)  # Chinese, Japanese, then redone


def ensure_demo_users() -> None:
    """A Europe-only viewer to show region scopes, with the README's password: only ever created on an
    embedded database (the caller checks)."""
    with session_scope() as session:
        if session.exec(select(User.id).where(User.email == DEMO_VIEWER_EMAIL)).first() is None:
            accounts.create_user(
                session=session,
                email=DEMO_VIEWER_EMAIL,
                password=DEMO_PASSWORD,
                role="viewer",
                display_name="Europe Viewer",
                region_codes=["EU"],
            )


def write_demo_tree(root: Path) -> list[Path]:
    """About forty files laid out as market/type/phase folders, the way teams file them."""
    files: list[Path] = []
    for m_index, market in enumerate(DEMO_MARKETS):
        language = MARKETS[market]
        for p_index, phase in enumerate(PHASES):
            name, _, color = generate.PRODUCTS[(m_index * 3 + p_index) % len(generate.PRODUCTS)]
            slug = name.lower().replace(" ", "-")
            files.append(
                generate.product_shot(
                    root / market / "product-images" / phase / f"{slug}.jpg",
                    name,
                    color,
                    seed=m_index * 10 + p_index,
                )
            )
            files.append(
                generate.banner(root / market / "banners" / phase / f"banner-{language}-{phase}.png", language, color)
            )
        second, _, color2 = generate.PRODUCTS[(m_index + 5) % len(generate.PRODUCTS)]
        files.append(
            generate.product_shot(
                root / market / "product-images" / "peak" / f"{second.lower().replace(' ', '-')}.jpg",
                second,
                color2,
                seed=99 + m_index,
            )
        )
        files.append(generate.copy_document(root / market / "copy" / "peak" / f"copy-{language}.md", second, language))
    # A lifestyle shot delivered with "Person Shown" and a model release: the People facet finds it.
    files.append(
        generate.with_person(
            generate.product_shot(
                root / "NA" / "product-images" / "peak" / "sneaker-on-model.jpg",
                "Aero Run Sneaker",
                (40, 110, 220),
                seed=7,
            ),
            "Demo model",
        )
    )
    files.append(generate.short_video(root / "NA" / "videos" / "peak" / "hydra-glow-teaser.mp4"))
    # The story every DAM knows: Europe re-exported North America's hero shot smaller and filed it
    # again. The Duplicates page shows the pair.
    files.append(generate.reexport(files[0], root / "EU" / "product-images" / "peak" / f"{files[0].stem}-eu.jpg"))
    files.append(generate.draft_with_claims(root / "CN" / "copy" / "warm-up" / "silk-mask-draft.md"))
    offer = root / "CN" / "banners" / "peak" / OFFER_BANNER
    generate.offer_banner("30% OFF").save(offer)
    files.append(offer)
    bilingual = root / "CN" / "banners" / "peak" / BILINGUAL_BANNER
    generate.bilingual_banner(*BILINGUAL_LINES[:2]).save(bilingual)
    files.append(bilingual)
    return files


def load_demo_library() -> int:
    """Import the demo tree if the library is empty; returns how many files were imported."""
    with session_scope() as session:
        if session.exec(select(Asset.id).limit(1)).first() is not None:
            return 0
    root = get_settings().var_dir / "demo"
    write_demo_tree(root)
    summary = import_tree(principal=system_principal(), root=root, options=Classification(campaign="Black Friday 2026"))
    _review_some()
    _license_some()
    _comment_on_the_offer()
    _raise_the_offer(root)
    _redo_the_japanese_line(root)
    board.load_demo_board()
    return summary.imported


def _raise_the_offer(root: Path) -> None:
    """The seed's story: Shanghai changes the banner from "30% OFF" to "40% OFF" as v1.1, so the
    version history and the compare view have something to show."""
    newer = root / "incoming" / "double-eleven-offer-40.png"
    newer.parent.mkdir(parents=True, exist_ok=True)
    generate.offer_banner("40% OFF").save(newer)
    with session_scope() as session:
        version = session.exec(select(Version).where(Version.original_filename == OFFER_BANNER)).first()
        if version is None:
            return
        add_version(
            session=session,
            principal=system_principal(),
            asset_id=version.asset_id,
            path=newer,
            filename=newer.name,
            change_note="30% OFF -> 40% OFF for Double Eleven",
        )


def _redo_the_japanese_line(root: Path) -> None:
    """The re-approval story: one banner for China and Japan, approved in both; v1.1 redoes only its
    Japanese line, so CN's reviewers read that China's part is unchanged and JP's that it changed."""
    principal = system_principal()
    with session_scope() as session:
        version = session.exec(select(Version).where(Version.original_filename == BILINGUAL_BANNER)).first()
        if version is None:
            return
        asset_id = version.asset_id
        edit_asset(session=session, principal=principal, asset_id=asset_id, edit=AssetEdit(markets=["CN", "JP"]))
        for market, stage in (("CN", "legal"), ("CN", "market"), ("JP", "legal")):
            review_service.record_decision(
                session=session, principal=principal, asset_id=asset_id, market=market, stage=stage,
                decision="approved", note="Checked for the Double Eleven launch",
            )  # fmt: skip
    newer = root / "incoming" / "double-eleven-cn-jp-sale.png"
    generate.bilingual_banner(BILINGUAL_LINES[0], BILINGUAL_LINES[2]).save(newer)
    with session_scope() as session:
        add_version(
            session=session, principal=principal, asset_id=asset_id, path=newer, filename=newer.name,
            change_note="Japanese line: 限定 -> セール",
        )  # fmt: skip


def _comment_on_the_offer() -> None:
    """Two pins on the offer banner's v1.0, so v1.1 shows one "changed here" (the offer) and one
    "untouched" (the headline)."""
    with session_scope() as session:
        version = session.exec(select(Version).where(Version.original_filename == OFFER_BANNER)).first()
        if version is None:
            return
        for value, body in (
            ("xywh=percent:5,46,35,18", "Legal: is 30% still the offer on the 11th? Needs the reference price."),
            ("xywh=percent:5,25,37,11", "Brand: the headline weight looks lighter than the guideline."),
        ):
            comments_service.add(
                session=session,
                principal=system_principal(),
                asset_id=version.asset_id,
                version_id=version.id,
                body=body,
                anchor={"type": "FragmentSelector", "value": value},
            )


def _license_some() -> None:
    """Rights to click through: one stock photo licensed for China only (blocked in its other
    markets), one whose licence ends within the 14-day notice, one whose licence has ended."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    terms = (
        ("Getty Images", "GI-2026-1188", ["CN"], today - timedelta(days=90), today + timedelta(days=275)),
        ("Shutterstock", "SS-88412", None, today - timedelta(days=350), today + timedelta(days=10)),
        ("Studio Nord", "SN-2025-07", None, today - timedelta(days=400), today - timedelta(days=2)),
    )
    with session_scope() as session:
        photos = session.exec(
            select(Asset).where(Asset.media_kind == "image", col(Asset.content_type) != "banner").order_by(Asset.title)
        ).all()
        for asset, (licensor, licence, markets, start, end) in zip(photos, terms, strict=False):
            rights_service.save_record(
                session=session,
                principal=system_principal(),
                asset_id=asset.id,
                data=RightsRecordIn(
                    licence_source=licensor,
                    licence_id=licence,
                    licensed_markets=markets or list(asset.markets),
                    licence_start=start,
                    licence_end=end,
                    usages=["web", "social"],
                    model_release_status="MR-UMR",
                ),
            )


def _review_some() -> None:
    """Legal has cleared North America's banners and rejected one European banner, so the Approval
    facet and "legal approved" queries have something to show."""
    principal = system_principal()
    with session_scope() as session:
        banners = session.exec(select(Asset).where(Asset.content_type == "banner").order_by(Asset.title)).all()
        for asset in banners:
            for market, decision, note in (
                ("NA", "approved", "Claims checked against FTC guidance"),
                ("EU", "rejected", "Discount wording needs the reference price"),
            ):
                if market in asset.markets:
                    review_service.record_decision(
                        session=session,
                        principal=principal,
                        asset_id=asset.id,
                        market=market,
                        stage="legal",
                        decision=decision,
                        note=note,
                    )
