"""The starting reference data; the initial migration inserts it, admins can add more rows later."""

from __future__ import annotations

from typing import Any

MARKETS: list[dict[str, Any]] = [
    {
        "code": "GLOBAL",
        "name": "Global",
        "languages": ["en"],
        "currencies": [],
        "is_global": True,
        "aliases": ["global", "worldwide", "all markets"],
    },
    {
        "code": "NA",
        "name": "North America",
        "languages": ["en", "es", "fr"],
        "currencies": ["USD", "CAD"],
        "is_global": False,
        "aliases": ["north america", "us", "usa", "united states", "canada", "american"],
    },
    {
        "code": "EU",
        "name": "Europe",
        "languages": ["en", "de", "fr", "es", "it"],
        "currencies": ["EUR", "GBP"],
        "is_global": False,
        "aliases": ["europe", "european", "uk", "germany", "france", "spain", "italy"],
    },
    {
        "code": "SEA",
        "name": "Southeast Asia",
        "languages": ["id", "th", "vi", "ms", "en"],
        "currencies": ["IDR", "THB", "VND", "MYR", "SGD"],
        "is_global": False,
        "aliases": ["southeast asia", "sea", "indonesia", "thailand", "vietnam", "malaysia", "singapore"],
    },
    {
        "code": "LATAM",
        "name": "Latin America",
        "languages": ["es", "pt"],
        "currencies": ["BRL", "MXN"],
        "is_global": False,
        "aliases": ["latin america", "latam", "brazil", "mexico"],
    },
    {
        "code": "JP",
        "name": "Japan",
        "languages": ["ja"],
        "currencies": ["JPY"],
        "is_global": False,
        "aliases": ["japan", "japanese", "jp"],
    },
    {
        "code": "CN",
        "name": "China",
        "languages": ["zh"],
        "currencies": ["CNY"],
        "is_global": False,
        "aliases": ["china", "chinese", "cn", "mainland"],
    },
    {
        "code": "KR",
        "name": "Korea",
        "languages": ["ko"],
        "currencies": ["KRW"],
        "is_global": False,
        "aliases": ["korea", "korean", "kr"],
    },
    {
        "code": "MEA",
        "name": "Middle East & Africa",
        "languages": ["ar", "en", "fr"],
        "currencies": ["AED", "SAR"],
        "is_global": False,
        "aliases": ["middle east", "africa", "mena", "gcc"],
    },
]

CONTENT_TYPES: list[dict[str, Any]] = [
    {"code": "product_image", "name": "Product image", "aliases": ["product shot", "packshot", "product"]},
    {"code": "banner", "name": "Banner", "aliases": ["banners", "kv", "key visual", "hero"]},
    {"code": "ad_creative", "name": "Ad creative", "aliases": ["ad", "ads", "creative", "creatives"]},
    {"code": "video", "name": "Video", "aliases": ["videos", "clip", "short video", "reel"]},
    {"code": "copy", "name": "Copy", "aliases": ["copywriting", "text", "copy-document", "copy-documents"]},
    {"code": "social_post", "name": "Social post", "aliases": ["social", "post", "posts"]},
    {"code": "logo", "name": "Logo", "aliases": ["logos", "brand mark"]},
]

PHASES: list[dict[str, Any]] = [
    {
        "code": "warm-up",
        "name": "Warm-up",
        "position": 1,
        "aliases": ["warmup", "warm up", "pre-sale", "teaser"],
    },
    {"code": "peak", "name": "Peak", "position": 2, "aliases": ["main", "launch", "sale day"]},
    {"code": "encore", "name": "Encore", "position": 3, "aliases": ["post-sale", "return", "after-sale"]},
]

CHANNELS: list[dict[str, Any]] = [
    {"code": "instagram", "name": "Instagram", "aliases": ["ig", "insta"]},
    {"code": "tiktok", "name": "TikTok", "aliases": ["douyin"]},
    {"code": "facebook", "name": "Facebook", "aliases": ["fb", "meta"]},
    {"code": "youtube", "name": "YouTube", "aliases": ["yt"]},
    {"code": "google_ads", "name": "Google Ads", "aliases": ["google", "adwords", "search ads"]},
    {"code": "amazon", "name": "Amazon", "aliases": []},
    {"code": "tmall", "name": "Tmall", "aliases": ["taobao"]},
    {"code": "shopee", "name": "Shopee", "aliases": []},
    {"code": "website", "name": "Website", "aliases": ["web", "site", "dtc"]},
    {"code": "email", "name": "Email", "aliases": ["newsletter", "edm"]},
]

ROLES: list[dict[str, Any]] = [
    {
        "code": "admin",
        "name": "Administrator",
        "permissions": [
            "asset.read",
            "asset.write",
            "asset.review",
            "user.manage",
            "system.manage",
            "comment.internal",
        ],
    },
    {"code": "editor", "name": "Editor", "permissions": ["asset.read", "asset.write", "comment.internal"]},
    {"code": "reviewer", "name": "Reviewer", "permissions": ["asset.read", "asset.review", "comment.internal"]},
    {"code": "viewer", "name": "Viewer", "permissions": ["asset.read"]},
    # An agency's or a partner's reviewer: reads and comments, never sees the team's internal threads.
    {"code": "external", "name": "External reviewer", "permissions": ["asset.read"]},
]

TABLES: dict[str, list[dict[str, Any]]] = {
    "markets": MARKETS,
    "content_types": CONTENT_TYPES,
    "phases": PHASES,
    "channels": CHANNELS,
    "roles": ROLES,
}
