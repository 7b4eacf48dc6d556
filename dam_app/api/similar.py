"""Look-alike endpoints: more like this, search by a reference picture, near-duplicate groups."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.schemas import COMMON_ERRORS, AssetSummaryOut, errors
from dam_app.assets.sniff import RejectedFile
from dam_app.search import similar as similar_service
from dam_app.storage.spool import spooled

router = APIRouter(tags=["similar"], responses=COMMON_ERRORS)


class SimilarHitOut(BaseModel):
    asset: AssetSummaryOut
    similarity: float = Field(description="Cosine similarity of the visual vectors (or of the text, for documents)")
    near_duplicate: bool = Field(description="The same picture: resized, recompressed or slightly cropped")

    @classmethod
    def of(cls, hit: similar_service.SimilarHit) -> SimilarHitOut:
        return cls(asset=AssetSummaryOut.of(hit.card), similarity=hit.similarity, near_duplicate=hit.near_duplicate)


class SimilarOut(BaseModel):
    basis: str = Field(description="'pixels' (colour, layout and edges) or 'meaning' (text embedding)")
    hits: list[SimilarHitOut]

    @classmethod
    def of(cls, result: similar_service.SimilarResult) -> SimilarOut:
        return cls(
            basis=result.basis,
            hits=[SimilarHitOut.of(hit) for hit in result.hits],
        )


class DuplicateGroupOut(BaseModel):
    assets: list[AssetSummaryOut] = Field(description="Oldest first: the first is most likely the original")
    lowest_similarity: float


class DuplicatesOut(BaseModel):
    groups: list[DuplicateGroupOut]

    @classmethod
    def of(cls, groups: list[similar_service.DuplicateGroup]) -> DuplicatesOut:
        """The one JSON shape of duplicate groups, for the API and `dam duplicates --json`."""
        return cls(
            groups=[
                DuplicateGroupOut(
                    assets=[AssetSummaryOut.of(c) for c in g.cards], lowest_similarity=g.lowest_similarity
                )
                for g in groups
            ]
        )


@router.get("/assets/{asset_id}/similar", responses=errors(404, 409))
def more_like_this(
    asset_id: uuid.UUID,
    principal: PrincipalDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> SimilarOut:
    """Assets that look like this one, most similar first."""
    result = similar_service.similar_to_asset(session=session, principal=principal, asset_id=asset_id, limit=limit)
    return SimilarOut.of(result)


@router.post("/search/image", responses=errors(400, 413))
def search_by_image(
    principal: PrincipalDep,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="A reference image (or video); it is not stored")],
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> SimilarOut:
    """Assets that look like the uploaded picture; near_duplicate marks copies of it."""
    try:
        with spooled(file.file) as path:
            result = similar_service.similar_to_image(
                session=session, principal=principal, path=path, filename=file.filename or "reference", limit=limit
            )
    except RejectedFile as exc:  # the API names what the file was for; the UI and CLI say it their way
        raise RejectedFile(exc.reason, f"cannot use this file as a reference: {exc}") from exc
    return SimilarOut.of(result)


@router.get("/duplicates")
def duplicates(
    principal: PrincipalDep, session: SessionDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> DuplicatesOut:
    """Groups of near-duplicate assets, largest first."""
    return DuplicatesOut.of(similar_service.duplicate_groups(session=session, principal=principal, limit=limit))
