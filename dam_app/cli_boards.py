"""`dam board ...`: a campaign board from the terminal, as the operator (all markets)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dam_app.cli_errors import refusals

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
