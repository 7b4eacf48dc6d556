"""When the constraints leave nothing, or fewer than a handful: loosen the softest one first (and
the next, and so on), show what that lets in after the exact matches, and say so.

What the query's words asked is loosened into the results. A filter the caller chose (a facet, a
URL or API parameter) is never dropped behind their back, since a script may publish what it gets:
the notes say what removing it would find instead. The caller's market scope is never loosened; a
search whose words alone match nothing the caller may see says that, rather than an empty page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from dam_app.accounts.principal import Principal
from dam_app.assets.dimensions import DIMENSIONS, AssetFilter, Kind
from dam_app.search.preferences import asset_meets
from dam_app.search.query import SORT, ParsedQuery
from dam_app.search.results import Constraint, Hit, SearchResult

HANDFUL = 3  # fewer exact matches than this, and loosening is tried
MAX_STEPS = 6  # each step is one more search
# The order constraints are loosened in: looks and people first, then time and review state, then
# where the asset is used, what it is, and last the market.
_SOFTEST_FIRST = (
    "colour", "has_person", "orientation", "usage", "added", "created_after", "created_before", "approval",
    "tag", "language", "status", "channel", "phase", "campaign", "media_kind", "content_type", "market",
)  # fmt: skip
# What the loosened results are, dimension by dimension: "showing 3 results in other colours".
_OTHERWISE = {
    "colour": "in other colours",
    "has_person": "with or without people",
    "orientation": "in other orientations",
    "usage": "used any number of times",
    "added": "added at any time",
    "created_after": "added at any time",
    "created_before": "added at any time",
    "approval": "in any approval state",
    "tag": "without those tags",
    "language": "in other languages",
    "status": "in any status",
    "channel": "for other channels",
    "phase": "from other phases",
    "campaign": "from other campaigns",
    "media_kind": "of other kinds",
    "content_type": "of other content types",
    "market": "for other markets",
}

Run = Callable[..., SearchResult]  # (parsed, explicit, *, limit, offset, exclude) -> SearchResult


def answer(
    parsed: ParsedQuery,
    explicit: AssetFilter,
    run: Run,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    exact: bool = False,
) -> SearchResult:
    """The search, loosened when it finds fewer than HANDFUL (`exact`: the exact hits only, with
    a note saying how many loosening would add)."""
    first = run(parsed, explicit, limit=limit, offset=offset)
    notes = _notes(parsed, explicit, principal)
    steps = constraints(parsed, explicit)
    if first.total >= HANDFUL or not steps:
        if first.total == 0 and parsed.raw:
            notes.append(f"Nothing you can see matches “{parsed.raw}”.")
        return _with_notes(first, notes, parsed)
    exact_hits = first.hits if offset == 0 else run(parsed, explicit, limit=HANDFUL, offset=0).hits
    shown_ids = frozenset(h.card.asset.id for h in exact_hits)
    loose_query, loose_filter, dropped = parsed, explicit, []
    found = None
    for step in steps[:MAX_STEPS]:
        loose_query, loose_filter = loosen(loose_query, loose_filter, step)
        dropped.append(step)
        skip = max(0, offset - len(exact_hits))
        probe = run(loose_query, loose_filter, limit=limit, offset=skip, exclude=shown_ids)
        if probe.total:
            found = probe
            break
    asked = _listed(c.label for c in steps)
    if found is None:
        if first.total == 0:
            notes.append(f"Nothing matched {asked}, nor anything without {_listed(c.label for c in dropped)}.")
        return _with_notes(first, notes, parsed)
    otherwise = " and ".join(dict.fromkeys(_OTHERWISE.get(c.dimension, "without it") for c in dropped))
    more = f"{found.total} {'result' if found.total == 1 else 'results'} {otherwise}"
    loosened = {"loosened": dropped, "exact_total": first.total, "loosened_total": found.total}
    matched = "Nothing" if first.total == 0 else f"Only {first.total}"
    chosen = [c for c in dropped if c.source == "filter"]
    if exact or chosen:  # a filter the caller chose is theirs to drop: say what dropping finds
        filters = "filter" if len(chosen) == 1 else "filters"
        how = f"removing the {filters} {_listed(c.label for c in chosen)}" if chosen else "loosening"
        if not chosen:
            how += " " + _listed(c.label for c in dropped)
        notes.append(f"{matched} matched {asked}; {how} finds {more}.")
        return replace(_with_notes(first, notes, parsed), **loosened)  # type: ignore[arg-type]
    let_in = [replace(h, unmet=_unmet(h, dropped)) for h in found.hits]
    hits = (exact_hits[offset:] + let_in)[:limit]
    if first.total == 0:
        notes.append(f"Nothing matched {asked}: showing {more}.")
    else:
        notes.append(f"Only {first.total} matched {asked}; after {'it' if first.total == 1 else 'them'}, {more}.")
    result = SearchResult(
        parsed,
        hits,
        first.total + found.total,
        found.facets,
        found.estimated,
        relaxed=True,
        **loosened,  # type: ignore[arg-type]
    )
    return _with_notes(result, notes, parsed)


def constraints(parsed: ParsedQuery, explicit: AssetFilter) -> list[Constraint]:
    """What narrows the search, in the order it is loosened: the query's strict chips before the
    caller's own filters, each softest first; one entry per dimension and values."""
    found = [Constraint(c.kind, (c.value,), c.label, "query") for c in parsed.chips if c.strict and c.kind != SORT]
    for name, values in DIMENSIONS.selection(explicit).items():
        d = DIMENSIONS.named(name)
        if d.kind is not Kind.TEXT:
            found.append(Constraint(name, tuple(values), f"{d.label}: {', '.join(values)}", "filter"))
    rank = {name: i for i, name in enumerate(_SOFTEST_FIRST)}
    ordered = sorted(found, key=lambda c: (c.source == "filter", rank.get(c.dimension, len(rank))))
    unique: dict[tuple[str, tuple[str, ...]], Constraint] = {}
    for c in ordered:
        unique.setdefault((c.dimension, c.values), c)
    return list(unique.values())


def loosen(parsed: ParsedQuery, explicit: AssetFilter, c: Constraint) -> tuple[ParsedQuery, AssetFilter]:
    """The query and filter without `c`: a chip becomes a preference (its matches still rank
    first), a chosen filter value is dropped."""
    chips = [
        replace(ch, strict=False) if ch.kind == c.dimension and ch.value in c.values else ch for ch in parsed.chips
    ]
    selection = DIMENSIONS.selection(explicit)
    left = [v for v in selection.pop(c.dimension, []) if v not in c.values]
    if left:
        selection[c.dimension] = left
    return replace(parsed, chips=chips), DIMENSIONS.to_filter(selection)


def _unmet(hit: Hit, dropped: list[Constraint]) -> tuple[str, ...]:
    """The loosened constraints this hit does not meet."""
    missed = []
    for c in dropped:
        d = DIMENSIONS.named(c.dimension)
        wanted = getattr(DIMENSIONS.to_filter({c.dimension: list(c.values)}), d.field)
        if not asset_meets(hit.card.asset, d, wanted):
            missed.append(c.label)
    return tuple(missed)


def _notes(parsed: ParsedQuery, explicit: AssetFilter, principal: Principal) -> list[str]:
    """What the user should know whatever the results: a query with nothing to search for, a
    market outside the caller's scope."""
    notes = []
    if parsed.raw and not parsed.text and not parsed.chips:
        notes.append(f"“{parsed.raw}” holds no words to search for: showing everything you can see, newest first.")
    if not principal.all_regions:
        asked = DIMENSIONS.merge(explicit, parsed.required()).markets
        outside = [m for m in asked if m not in principal.visible_markets]
        if outside:
            yours = ", ".join(sorted(principal.visible_markets)) or "none"
            notes.append(
                f"{_listed(outside)} {'is' if len(outside) == 1 else 'are'} outside your markets ({yours}): "
                "those assets are not shown to you."
            )
    return notes


def _with_notes(result: SearchResult, notes: list[str], parsed: ParsedQuery) -> SearchResult:
    """`result` with `notes`, and a note for each preference none of its hits meets."""
    notes = list(notes)
    for chip in parsed.chips:
        if chip.strict or chip.kind == SORT or not result.hits:
            continue
        d = DIMENSIONS.named(chip.kind)
        wanted = getattr(DIMENSIONS.to_filter({chip.kind: [chip.value]}), d.field)
        if not any(asset_meets(h.card.asset, d, wanted) for h in result.hits):
            notes.append(f"None of these results meets “{chip.label}”: it is a preference, so they are shown anyway.")
    return replace(result, notes=notes)


def _listed(labels: Iterable[str]) -> str:
    items = list(labels)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
