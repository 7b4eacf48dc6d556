"""Asset cards as the UI's plain dicts: one shape for the library grid and every look-alike list."""

from __future__ import annotations

from dam_app.assets.models import Asset
from dam_app.assets.service import AssetCard
from dam_app.search.similar import SimilarHit
from dam_app.ui import routes

_VERDICT_WORDS = (("blocked", "Blocked in"), ("conditions", "Conditions in"), ("usable", "Usable in"))


def verdict_summary(asset: Asset) -> dict[str, str]:
    """The tile's verdict: worst first ("Blocked in CN · Usable in NA") and its colour key; empty
    while the asset is being judged again."""
    by_verdict: dict[str, list[str]] = {}
    for label in asset.verdicts:
        market, _, verdict = label.partition(":")
        if verdict:
            by_verdict.setdefault(verdict, []).append(market)
    parts = [f"{words} {', '.join(by_verdict[v])}" for v, words in _VERDICT_WORDS if v in by_verdict]
    worst = next((v for v, _ in _VERDICT_WORDS if v in by_verdict), "")
    return {"verdict": worst, "verdict_label": " · ".join(parts)}


def card_item(card: AssetCard) -> dict[str, str]:
    asset = card.asset
    return {
        **verdict_summary(asset),
        "id": str(asset.id),
        "title": asset.title,
        "status": asset.status,
        "kind": asset.media_kind,
        "markets": " · ".join(asset.markets),
        "phase": asset.phase or "",
        "content_type": (asset.content_type or "").replace("_", " "),
        "version": card.version_label or "",
        "thumb": routes.rendition_url(card.thumbnail_id) if card.thumbnail_id else "",
    }


def look_alike_item(hit: SimilarHit) -> dict[str, str]:
    return {
        **card_item(hit.card),
        "similarity": f"{hit.similarity:.2f}",
        "duplicate": "Near duplicate" if hit.near_duplicate else "",
    }
