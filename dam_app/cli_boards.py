"""`dam board ...`: a campaign board from the terminal, as the operator (all markets)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dam_app.cli_errors import refusals
from dam_app.errors import NotFound

# As in cli.py, commands import the services they use inside themselves for start-up speed only.
board_app = typer.Typer(help="Campaign boards")
console = Console()


@board_app.command("export")
def board_export(
    campaign: Annotated[str, typer.Argument(help="The campaign's code or name")],
    as_csv: Annotated[
        bool, typer.Option("--csv", help="CSV (UTF-8 with a byte-order mark) instead of a table")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout")] = None,
) -> None:
    """Every card of the campaign's board, in board order: phase, status, title, markets, due time."""
    from dam_app.accounts.principal import system_principal
    from dam_app.boards import export
    from dam_app.db import session_scope

    principal = system_principal()
    with refusals("not exported"), session_scope() as session:
        board = export.board_by_campaign(session=session, principal=principal, campaign=campaign)
        rows = export.card_rows(session=session, principal=principal, board_id=board.id)
    if as_csv:
        text = export.as_csv(rows)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8", newline="")
        console.print(f"{len(rows)} cards written to {out}", highlight=False)
        return
    table = Table(*(export.HEADER[i] for i in _SHOWN), title=f"{len(rows)} cards")
    for row in rows:
        table.add_row(*(Text(row[i]) for i in _SHOWN))  # plain text: a title is never read as markup
    if out is None:
        console.print(table)
        return
    with out.open("w", encoding="utf-8") as file:
        Console(file=file, width=200).print(table)


_SHOWN = (0, 1, 2, 3, 8)  # phase, status, title, markets, due (UTC)


@board_app.command("copy")
def board_copy(
    template: Annotated[str, typer.Argument(help="The past campaign's code or name")],
    campaign: Annotated[str, typer.Argument(help="The new campaign's name")],
    event_date: Annotated[str, typer.Option("--event-date", help="The new event date, YYYY-MM-DD")],
) -> None:
    """A new campaign's board from a past one: columns, cards, checklists, dates shifted to the new event."""
    from datetime import date

    from dam_app.accounts.principal import system_principal
    from dam_app.boards import export, reads, templates
    from dam_app.db import session_scope
    from dam_app.errors import Invalid

    principal = system_principal()
    with refusals("not copied"), session_scope() as session:
        try:
            day = date.fromisoformat(event_date)
        except ValueError as exc:
            raise Invalid(f"not a date (YYYY-MM-DD): {event_date!r}") from exc
        source = export.board_by_campaign(session=session, principal=principal, campaign=template)
        board = templates.copy_board(
            session=session, principal=principal, template_id=source.id, campaign=campaign, event_date=day
        )
        count = len(reads.read_board(session=session, principal=principal, board_id=board.id).cards)
        board_id = board.id
    console.print(f"board {board_id}: {count} cards copied from {template}", highlight=False)


@board_app.command("coverage")
def board_coverage(campaign: Annotated[str, typer.Argument(help="The campaign's code or name")]) -> None:
    """Market x phase: which requests have an asset for each market (gap / covered / approved), and how
    many requests were fulfilled by reuse."""
    from dam_app.accounts.principal import system_principal
    from dam_app.boards import coverage, export
    from dam_app.db import session_scope

    principal = system_principal()
    with refusals("no coverage"), session_scope() as session:
        board = export.board_by_campaign(session=session, principal=principal, campaign=campaign)
        read = coverage.campaign_coverage(session=session, principal=principal, board_id=board.id)
    table = Table("market", *read.phases, title=f"{read.requests} requests, {read.reused} fulfilled by reuse")
    for market in read.markets:
        cells = [read.cells[(market, phase)] for phase in read.phases]
        table.add_row(market, *(f"{c.state} ({len(c.cards)})" if c.cards else "-" for c in cells))
    console.print(table)


@board_app.command("attach")
def board_attach(
    card: Annotated[str, typer.Argument(help="The card's id")],
    asset: Annotated[str, typer.Argument(help="The asset's id")],
) -> None:
    """Attach a library asset to a card (counted as reuse when the asset predates the card)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.boards import cards
    from dam_app.db import session_scope

    with refusals("not attached"), session_scope() as session:
        link = cards.attach(
            session=session, principal=system_principal(), card_id=_uuid(card, "card"), asset_id=_uuid(asset, "asset")
        )
    console.print(f"attached{' (reuse)' if link.reused else ''}", highlight=False)


@board_app.command("suggest")
def board_suggest(card: Annotated[str, typer.Argument(help="The card's id")]) -> None:
    """Library assets that could fulfil the card, those closing most of its gaps first."""
    from dam_app.accounts.principal import system_principal
    from dam_app.boards import reuse
    from dam_app.db import session_scope

    with refusals("no suggestions"), session_scope() as session:
        found = reuse.suggestions(session=session, principal=system_principal(), card_id=_uuid(card, "card"))
    table = Table("asset", "title", "would cover", title=f"{len(found)} suggestions")
    for s in found:
        table.add_row(str(s.card.asset.id), Text(s.card.asset.title), ", ".join(s.covers) or "-")
    console.print(table)


def _uuid(text: str, what: str) -> uuid.UUID:
    """A malformed id names nothing: the same refusal as an id nothing has."""
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise NotFound(what, text) from exc
