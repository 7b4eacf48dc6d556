"""`dam board ...`: a campaign board from the terminal, as the operator (all markets)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

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
        lines = list(export.csv_rows(session=session, principal=principal, board_id=board.id))
    if as_csv:
        text = "".join(lines)
        if out is not None:
            out.write_text(text, encoding="utf-8", newline="")
            console.print(f"{len(lines) - 1} cards written to {out}", highlight=False)
        else:
            sys.stdout.write(text)
        return
    _table(lines, out)


def _table(lines: list[str], out: Path | None) -> None:
    rows = list(csv.reader(line.removeprefix("\ufeff") for line in lines))
    table = Table(*rows[0][:4], rows[0][8], title=f"{len(rows) - 1} cards")
    for row in rows[1:]:
        table.add_row(*row[:4], row[8])
    (Console(file=out.open("w", encoding="utf-8")) if out else console).print(table)
