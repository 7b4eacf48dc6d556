"""A generated library with known right answers for relevance tests (no files: rows + documents)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from dam_app.assets.models import Asset, AssetStatus, Version
from dam_app.catalog import service as catalog_service
from dam_app.catalog.models import ContentType
from dam_app.search import documents
from dam_app.search.visual import COLOUR_NAMES
from dam_app.storage.models import Blob
from dam_app.tagging import service as tagging_service
from dam_app.tagging.models import TagKind, TagSource


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    description: str
    markets: tuple[str, ...]
    content_type: str
    phase: str
    days_ago: int = 30
    tags: tuple[str, ...] = ()
    copy: str = ""
    channel: str | None = None


ENTRIES = [
    Entry(
        "serum_na_new",
        "Hydra Glow Serum hero shot",
        "Vitamin C face serum bottle on marble, skincare",
        ("NA",),
        "product_image",
        "peak",
        2,
        ("skincare", "beauty"),
    ),
    Entry(
        "serum_na_old",
        "Hydra Glow Serum packshot 2024",
        "Older serum bottle photo, skincare",
        ("NA",),
        "product_image",
        "warm-up",
        400,
        ("skincare", "beauty"),
    ),
    Entry(
        "serum_eu",
        "Hydra Glow Serum Europe packshot",
        "Face serum for the German shop",
        ("EU",),
        "product_image",
        "peak",
        20,
        ("skincare", "beauty"),
    ),
    Entry(
        "lipstick_na",
        "Velvet Matte Lipstick swatch",
        "Red lip colour cosmetic close-up",
        ("NA",),
        "product_image",
        "peak",
        10,
        ("makeup", "red"),
    ),
    Entry(
        "lipstick_cn_copy",
        "口红 双十一 文案",
        "丝绒哑光口红 限时五折",
        ("CN",),
        "copy",
        "peak",
        5,
        copy="双十一狂欢 丝绒哑光口红 全场五折起 限时抢购",
    ),
    Entry("lipstick_jp", "ベルベット マット リップ", "赤いリップの商品写真", ("JP",), "product_image", "peak", 8),
    Entry(
        "sunscreen_sea",
        "Citrus Sun Cream SPF50",
        "Sunscreen for beach days, UV protection lotion",
        ("SEA",),
        "product_image",
        "warm-up",
        15,
        ("suncare",),
    ),
    Entry(
        "sunscreen_latam",
        "Protector solar Citrus SPF50",
        "Crema solar para la playa",
        ("LATAM",),
        "product_image",
        "peak",
        25,
    ),
    Entry(
        "sneaker_na",
        "Aero Run Sneaker side view",
        "Lightweight running shoe in blue mesh",
        ("NA",),
        "product_image",
        "peak",
        12,
        ("footwear", "blue"),
    ),
    Entry(
        "sneaker_eu_video",
        "Aero Run launch film",
        "Runner sprinting through the city at dawn, sports shoes",
        ("EU",),
        "video",
        "peak",
        9,
        ("footwear",),
        channel="tiktok",
    ),
    Entry(
        "backpack_na",
        "Trail Pro Backpack 30L",
        "Hiking rucksack with rain cover, outdoor gear",
        ("NA",),
        "product_image",
        "encore",
        40,
        ("outdoor",),
    ),
    Entry(
        "earbuds_jp",
        "Pulse Wireless Earbuds",
        "Noise cancelling bluetooth earphones in case",
        ("JP",),
        "product_image",
        "peak",
        14,
        ("electronics",),
    ),
    Entry(
        "earbuds_banner_na",
        "Pulse Earbuds Black Friday banner",
        "Headline: wireless audio at half price",
        ("NA",),
        "banner",
        "peak",
        3,
        ("electronics", "black friday"),
    ),
    Entry(
        "scarf_eu",
        "Nordic Wool Scarf flatlay",
        "Grey knitted winter scarf, warm accessories",
        ("EU",),
        "product_image",
        "warm-up",
        35,
        ("fashion", "winter"),
    ),
    Entry(
        "perfume_eu",
        "Ocean Mist Perfume bottle",
        "Fresh aquatic fragrance eau de parfum",
        ("EU",),
        "product_image",
        "peak",
        18,
        ("beauty",),
    ),
    Entry(
        "bento_jp",
        "Bamboo Bento Box",
        "Lunch box with bamboo lid for office lunches",
        ("JP",),
        "product_image",
        "encore",
        50,
        ("home",),
    ),
    Entry(
        "sleepmask_na",
        "Silk Sleep Mask",
        "Mulberry silk eye mask for travel and rest",
        ("NA",),
        "product_image",
        "encore",
        60,
        ("home",),
    ),
    Entry(
        "banner_bf_na",
        "Black Friday up to 50% off banner",
        "Red sale banner for the US homepage",
        ("NA",),
        "banner",
        "peak",
        1,
        ("sale", "red"),
    ),
    Entry(
        "banner_bf_eu",
        "Black Friday Rabatt Banner",
        "Bis zu 50% Rabatt, red German sale banner",
        ("EU",),
        "banner",
        "peak",
        6,
        ("sale", "red"),
    ),
    Entry(
        "banner_jp_red",
        "ブラックフライデー 最大50%オフ バナー",
        "Red themed sale banner for Japan",
        ("JP",),
        "banner",
        "peak",
        4,
        ("sale", "red"),
    ),
    Entry(
        "banner_jp_blue",
        "Summer sale banner Japan",
        "Blue cool summer campaign banner",
        ("JP",),
        "banner",
        "warm-up",
        90,
        ("sale", "blue"),
    ),
    Entry(
        "banner_cn_1111",
        "双十一狂欢 全场五折起",
        "Double Eleven main key visual for Tmall",
        ("CN",),
        "banner",
        "peak",
        7,
        ("sale",),
        channel="tmall",
    ),
    Entry(
        "banner_sea_harbolnas",
        "Harbolnas diskon hingga 50%",
        "Indonesian national shopping day banner",
        ("SEA",),
        "banner",
        "peak",
        11,
        ("sale",),
        channel="shopee",
    ),
    Entry(
        "teaser_video_warmup",
        "Countdown teaser video",
        "Short 9:16 countdown clip before the sale",
        ("NA",),
        "video",
        "warm-up",
        13,
        ("countdown",),
        channel="instagram",
    ),
    Entry(
        "encore_video",
        "Thank you encore reel",
        "Post-sale thank-you reel with best sellers",
        ("EU",),
        "video",
        "encore",
        16,
        channel="instagram",
    ),
    Entry(
        "copy_en_serum",
        "Serum campaign copy EN",
        "Headlines and body copy",
        ("NA",),
        "copy",
        "peak",
        5,
        copy="Glow all season. Our vitamin C serum brightens skin in two weeks. Free shipping over 49.",
    ),
    Entry(
        "copy_es",
        "Copy campaña Black Friday",
        "Textos para redes",
        ("LATAM",),
        "copy",
        "peak",
        6,
        copy="Hasta 50% de descuento en toda la tienda. Solo por tiempo limitado.",
    ),
    Entry(
        "copy_id",
        "Teks kampanye Harbolnas",
        "Caption Instagram",
        ("SEA",),
        "copy",
        "peak",
        9,
        copy="Belanja sekarang, stok terbatas! Diskon hingga 50% untuk semua produk kecantikan.",
    ),
    Entry(
        "logo_global",
        "Brand logo primary",
        "Official logo, full colour, for all markets",
        ("GLOBAL",),
        "logo",
        "peak",
        200,
        ("brand",),
    ),
    Entry(
        "smartwatch_na",
        "Pulse Smartwatch fitness",
        "Fitness tracker watch with heart rate",
        ("NA",),
        "product_image",
        "peak",
        22,
        ("electronics",),
    ),
    Entry(
        "yoga_eu",
        "Zen Yoga Mat",
        "Non-slip exercise mat for home workouts",
        ("EU",),
        "product_image",
        "warm-up",
        28,
        ("fitness",),
    ),
    Entry(
        "coffee_latam",
        "Barista coffee maker",
        "Espresso machine for home cafe",
        ("LATAM",),
        "product_image",
        "peak",
        19,
        ("home",),
    ),
    Entry(
        "toy_kr",
        "Robot building blocks",
        "STEM construction toy for kids",
        ("KR",),
        "product_image",
        "peak",
        21,
        ("kids",),
    ),
    Entry("phonecase_cn", "iPhone 手机壳 透明", "透明防摔手机壳 商品图", ("CN",), "product_image", "peak", 17),
    Entry(
        "influencer_post",
        "Influencer unboxing post",
        "Creator unboxing the serum, #ad partnership",
        ("NA",),
        "social_post",
        "peak",
        4,
        ("influencer",),
        channel="instagram",
    ),
]


def build(session: Session, admin_id: uuid.UUID | None = None, now: datetime | None = None) -> dict[str, uuid.UUID]:
    """Insert every entry as a ready asset with a v1.0 and index it; return key -> asset id."""
    now = now or datetime.now(UTC)
    lexicon = catalog_service.lexicon(session=session)
    campaign = catalog_service.ensure_campaign(session=session, name="Black Friday 2026")
    ids: dict[str, uuid.UUID] = {}
    for entry in ENTRIES:
        sha = hashlib.sha256(entry.key.encode()).hexdigest()
        session.add(Blob(sha256=sha, size=1, mime="image/jpeg"))
        created = now - timedelta(days=entry.days_ago)
        asset = Asset(
            title=entry.title,
            description=entry.description,
            markets=list(entry.markets),
            content_type=lexicon.resolve(ContentType, entry.content_type),
            phase=entry.phase,
            channel=entry.channel,
            campaign=campaign,
            status=AssetStatus.READY,
            media_kind="video" if entry.content_type == "video" else "image",
            # What the visual stage would name from pixels: here, the colour words among the tags.
            colours=[t for t in entry.tags if t in COLOUR_NAMES],
            orientation="landscape" if entry.content_type in ("banner", "video") else "square",
            created_by=admin_id,
            created_at=created,
            updated_at=created,
        )
        session.add(asset)
        session.flush()
        version = Version(
            asset_id=asset.id,
            blob_sha256=sha,
            original_filename=f"{entry.key}.jpg",
            mime="image/jpeg",
            size=1,
            extracted_text=entry.copy,
            created_at=created,
        )
        session.add(version)
        session.flush()
        asset.current_version_id = version.id
        for tag in entry.tags:
            tagging_service.attach(
                session=session, asset_id=asset.id, kind=TagKind.VISUAL, name=tag, source=TagSource.PERSON
            )
        session.flush()
        documents.index_asset(session=session, asset_id=asset.id)
        ids[entry.key] = asset.id
    return ids
