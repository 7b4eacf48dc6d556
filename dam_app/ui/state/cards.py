"""Asset cards as the UI's plain dicts: one shape for the library grid and every look-alike list."""

from __future__ import annotations

from dam_app.assets.service import AssetCard
from dam_app.search.similar import SimilarHit
from dam_app.ui import routes


def card_item(card: AssetCard) -> dict[str, str]:
    asset = card.asset
    return {
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
