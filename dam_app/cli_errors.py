"""The CLI's one translation of domain errors: a DamError kind becomes an exit code, its message stderr.

Exit codes: 0 done; 1 the request was fine but cannot be done now (Conflict: e.g. the asset is still
being processed; TooBusy: too much of the caller's work is waiting; also an import with failed files,
or an unreachable queue); 2 the request itself was refused (NotFound, Forbidden, Invalid, TooLarge),
as click does for a usage error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from dam_app.errors import Conflict, DamError, Forbidden, Invalid, NotFound, TooBusy, TooLarge, nearest_kind

EXIT_REFUSED = 2
# Looked up along the exception's class hierarchy, so a domain class needs no entry of its own.
EXIT_BY_KIND: dict[type[DamError], int] = {
    NotFound: EXIT_REFUSED,
    Forbidden: EXIT_REFUSED,
    Invalid: EXIT_REFUSED,
    TooLarge: EXIT_REFUSED,
    Conflict: 1,
    TooBusy: 1,
}

stderr = Console(stderr=True)


def exit_code_for(exc: DamError) -> int:
    """The code of the nearest kind in the exception's class hierarchy; refused (2) otherwise."""
    return nearest_kind(exc, EXIT_BY_KIND, EXIT_REFUSED)


def sentence(exc: DamError) -> str:
    """What to print: "no such asset" reads better at a prompt than the API's "asset not found"."""
    return f"no such {exc.what}" if isinstance(exc, NotFound) else exc.message


@contextmanager
def refusals(prefix: str = "error") -> Iterator[None]:
    """Run a command's work; a domain error prints "<prefix>: <why>" to stderr and exits with its code."""
    try:
        yield
    except DamError as exc:
        stderr.print(f"[red]{prefix}:[/red] {sentence(exc)}", highlight=False)
        raise typer.Exit(exit_code_for(exc)) from exc


def asset_id_arg(text: str) -> uuid.UUID:
    """An asset id typed at the prompt; a malformed one names no asset: the same refusal as an id
    no asset has."""
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise NotFound("asset", text) from exc
