"""GET /api/v1/search: the same ranked results, parsed filters and facets the UI shows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from dam_app.api.deps import PrincipalDep, SessionDep
from dam_app.api.filters import FilterDep
from dam_app.api.schemas import COMMON_ERRORS, AssetSummaryOut, Text
from dam_app.search import service as search_service
from dam_app.search.query import MAX_QUERY_CHARS

router = APIRouter(tags=["search"], responses=COMMON_ERRORS)


class ChipOut(BaseModel):
    kind: str
    value: str
    label: str
    words: str = Field(description="The words of the query this came from")


class HitOut(BaseModel):
    asset: AssetSummaryOut
    score: float
    similarity: float | None = Field(description="Meaning: cosine similarity of the text embeddings")
    picture_similarity: float | None = Field(description="Words against pixels (only with a CLIP model configured)")
    matched_terms: list[str]
    highlight: str


class SearchOut(BaseModel):
    query: str
    text: str
    understood: list[ChipOut]
    total: int
    estimated: bool = Field(
        False, description="True when the match set is very large: total and facet counts are estimates"
    )
    hits: list[HitOut]
    facets: dict[str, list[tuple[str, int]]]

    @classmethod
    def of(cls, result: search_service.SearchResult) -> SearchOut:
        """The one JSON shape of a search, for the API and `dam search --json`."""
        return cls(
            query=result.parsed.raw,
            text=result.parsed.text,
            understood=[ChipOut(kind=c.kind, value=c.value, label=c.label, words=c.words) for c in result.parsed.chips],
            total=result.total,
            estimated=result.estimated,
            hits=[
                HitOut(
                    asset=AssetSummaryOut.of(h.card),
                    score=h.score,
                    similarity=h.similarity,
                    picture_similarity=h.picture_similarity,
                    matched_terms=h.matched_terms,
                    highlight=h.highlight,
                )
                for h in result.hits
            ],
            facets=result.facets,
        )


@router.get("/search")
def search(
    principal: PrincipalDep,
    session: SessionDep,
    filters: FilterDep,
    q: Annotated[Text, Query(max_length=10_000, description="Plain words, e.g. 'red banner Japan latest'")] = "",
    sort: Annotated[str, Query(pattern="^(relevance|newest|most_used)$")] = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
    offset: Annotated[int, Query(ge=0, le=200)] = 0,
) -> SearchOut:
    """Hybrid search; only the first 500 characters of q are read."""
    result = search_service.search(
        session=session,
        principal=principal,
        query=q[:MAX_QUERY_CHARS],
        filters=filters,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return SearchOut.of(result)
