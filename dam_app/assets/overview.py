"""Everything one asset's page shows, in one read: the detail, the decisions on its current version,
its look-alikes, the text read from its picture and, for editors, the vocabulary the edit form
offers. The page and each of its panels read this once per load instead of each querying the asset
again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from dam_app.accounts.principal import Principal
from dam_app.assets import service as assets_service
from dam_app.catalog import service as catalog_service
from dam_app.review import service as review_service
from dam_app.review import since
from dam_app.review.models import ApprovalRead
from dam_app.search import similar as similar_service
from dam_app.tagging import image_text
from dam_app.tagging.models import ImageTextRead

LOOK_ALIKES = 12


@dataclass(frozen=True)
class AssetOverview:
    detail: assets_service.AssetDetail
    decisions: list[ApprovalRead]
    required_stages: dict[str, list[str]]  # per market of the asset: the stages it requires
    similar: similar_service.SimilarResult | None  # None while processing or with nothing to compare
    nothing_to_compare: str  # why there are no look-alikes, when similar is None after processing
    vocabulary: catalog_service.Vocabulary | None  # None unless the caller may edit
    picture_text: ImageTextRead | None  # what OCR read from the shown version; None before it ran
    since_approved: list[since.SinceApproved]  # per market of the caller's that approved an earlier version


def read(
    *,
    session: Session,
    principal: Principal,
    asset_id: uuid.UUID,
    look_alikes: int = LOOK_ALIKES,
    version_id: uuid.UUID | None = None,
) -> AssetOverview:
    """Raises AssetNotFound outside the caller's markets, like every asset read. `version_id`: show
    that version (its preview and facts) instead of the current one."""
    detail = assets_service.get_detail(session=session, principal=principal, asset_id=asset_id, version_id=version_id)
    decisions = review_service.approvals_for(session=session, principal=principal, asset_id=asset_id)
    required = catalog_service.review_stages(session=session, markets=list(detail.asset.markets))
    vocabulary = catalog_service.vocabulary(session=session) if principal.can("asset.write") else None
    similar, nothing = None, ""
    if detail.asset.status != "processing":  # compared once the pixels are described, not on every stage event
        try:
            similar = similar_service.similar_to_asset(
                session=session, principal=principal, asset_id=asset_id, limit=look_alikes
            )
        except similar_service.NothingToCompare as exc:
            nothing = str(exc)
    shown = detail.shown or detail.current
    text = image_text.stored_text(session=session, version_id=shown.id) if shown else None
    changes = since.since_approved(session, detail.asset, principal.readable_markets(detail.asset.markets))
    return AssetOverview(detail, decisions, required, similar, nothing, vocabulary, text, changes)
