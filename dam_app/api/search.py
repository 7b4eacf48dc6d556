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
from dam_app.search.results import SearchResult

router = APIRouter(tags=["search"], responses=COMMON_ERRORS)


class ChipOut(BaseModel):
    kind: str = Field(description="The dimension it narrows (a filter parameter's name), or 'sort'")
    value: str
    label: str
    words: str = Field(description="The words of the query this came from")
    strict: bool = Field(description="True: it filters; false: it prefers (its matches rank first)")
    key: str = Field(description="Name it in `require` or `prefer` to switch it")


class ConstraintOut(BaseModel):
    dimension: str
    values: list[str]
    label: str
    source: str = Field(description="'query': understood from the words; 'filter': a filter parameter")


class HitOut(BaseModel):
    asset: AssetSummaryOut
    score: float
    similarity: float | None = Field(description="Meaning: cosine similarity of the text embeddings")
    picture_similarity: float | None = Field(description="Words against pixels (only with a CLIP model configured)")
    matched_terms: list[str]
    highlight: str
    unmet: list[str] = Field(description="Loosened constraints this hit does not meet (it came in by them)")
    matched_in: dict[str, list[str]] = Field(
        description="Where the query's words matched: title, description, tags, other text (file name, copy, "
        "text in the picture)"
    )
    carried_by: str = Field(description="What ranked it: 'words', 'meaning' or 'words and meaning' ('' in a browse)")


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
    notes: list[str] = Field(description="Why the page holds what it holds, in sentences for the user")
    loosened: list[ConstraintOut] = Field(
        description="Constraints dropped, softest first, because fewer than a handful met them all"
    )
    relaxed: bool = Field(description="The hits include those the loosening let in, after the exact ones")
    exact_total: int | None = Field(description="With constraints loosened: how many met them all")
    loosened_total: int = Field(description="With constraints loosened: how many more they let in")

    @classmethod
    def of(cls, result: SearchResult) -> SearchOut:
        """The one JSON shape of a search, for the API and `dam search --json`."""
        return cls(
            query=result.parsed.raw,
            text=result.parsed.text,
            understood=[
                ChipOut(kind=c.kind, value=c.value, label=c.label, words=c.words, strict=c.strict, key=c.key)
                for c in result.parsed.chips
            ],
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
                    unmet=list(h.unmet),
                    matched_in=h.matched_in,
                    carried_by=h.carried_by,
                )
                for h in result.hits
            ],
            facets=result.facets,
            notes=result.notes,
            loosened=[
                ConstraintOut(dimension=c.dimension, values=list(c.values), label=c.label, source=c.source)
                for c in result.loosened
            ],
            relaxed=result.relaxed,
            exact_total=result.exact_total,
            loosened_total=result.loosened_total,
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
    require: Annotated[
        list[Text], Query(max_length=20, description="Chip keys (see `understood`) to make filters, e.g. colour:red")
    ] = [],  # noqa: B006 (FastAPI copies defaults)
    prefer: Annotated[
        list[Text], Query(max_length=20, description="Chip keys to make preferences, e.g. market:JP")
    ] = [],  # noqa: B006
    exact: Annotated[
        bool, Query(description="Only what meets every constraint; by default, fewer than 3 get loosened ones after")
    ] = False,
) -> SearchOut:
    """Hybrid search; only the first 500 characters of q are read. Fewer than 3 exact matches: the
    softest constraint is loosened (then the next) and `notes` says so."""
    result = search_service.search(
        session=session,
        principal=principal,
        query=q[:MAX_QUERY_CHARS],
        filters=filters,
        sort=sort,
        limit=limit,
        offset=offset,
        require=require,
        prefer=prefer,
        exact=exact,
    )
    return SearchOut.of(result)
