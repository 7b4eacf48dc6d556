"""`dam comments ...`: an asset's comment threads with where their pins stand, starting one (on the
whole version, a region or point, a video time, or a phrase of the copy), replying, resolving, as
the operator."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from dam_app.cli_errors import asset_id_arg, refusals
from dam_app.errors import Invalid, NotFound

# As in cli.py, commands import the services they use inside themselves for start-up speed only.
comments_app = typer.Typer(help="Comment threads pinned to a spot, a time or a phrase")
console = Console()


def _anchor(region: str, time: str, phrase: str) -> dict[str, Any] | None:
    given = [g for g in (region, time, phrase) if g]
    if len(given) > 1:
        raise Invalid("pin a comment to one thing: --region, --time or --phrase")
    if region:
        return {"type": "FragmentSelector", "value": f"xywh=percent:{region}"}
    if time:
        return {"type": "FragmentSelector", "value": f"t={time}"}
    if phrase:
        return {"field": "copy", "selector": [{"type": "TextQuoteSelector", "exact": phrase}]}
    return None


def _version_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise NotFound("version", text) from exc


@comments_app.command("list")
def list_threads(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    status: Annotated[str, typer.Option(help="open, resolved or all")] = "open",
) -> None:
    """The threads on the current version (made on it or carried to it), open first."""
    from dam_app.accounts.principal import system_principal
    from dam_app.assets import service as assets_service
    from dam_app.comments import anchors, service
    from dam_app.db import session_scope

    principal = system_principal()
    with refusals(), session_scope() as session:
        asset = assets_service.visible_asset(session, principal, asset_id_arg(asset_id))
        page = service.threads(
            session=session, principal=principal, asset_id=asset.id, version_id=asset.current_version_id,
            status=status,
        )  # fmt: skip
    console.print(f"{page.total} thread{'s' * (page.total != 1)}, {page.open} open")
    for t in page.threads:
        placed = f" [{t.placement_label}: {escape(t.placement_note)}]" if t.placement else ""
        state = "resolved" if t.resolved else "open"
        console.print(f"#{t.id} {state} {escape(anchors.describe(t.anchor))} (on {t.version_label}){placed}")
        for c in t.comments:
            console.print(f"    {c.author}: {escape(c.body)}")


@comments_app.command("add")
def add(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    body: Annotated[str, typer.Argument(help="What to say (@name tells someone)")],
    region: Annotated[str, typer.Option(help="x,y,w,h in percent of the picture (w = h = 0: a point)")] = "",
    time: Annotated[str, typer.Option(help="Video seconds: start or start,end")] = "",
    phrase: Annotated[str, typer.Option(help="Words of the copy")] = "",
    internal: Annotated[bool, typer.Option("--internal", help="Never shown to external reviewers")] = False,
    reply_to: Annotated[int | None, typer.Option(help="Reply to this thread instead")] = None,
) -> None:
    """Start a thread on the current version (or reply to one)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.comments import service
    from dam_app.db import session_scope

    with refusals("not posted"), session_scope() as session:
        view = service.add(
            session=session, principal=system_principal(), asset_id=asset_id_arg(asset_id), body=body,
            anchor=None if reply_to else _anchor(region, time, phrase), internal=internal, parent_id=reply_to,
        )  # fmt: skip
    console.print(f"thread #{view.id}: {len(view.comments)} comment{'s' * (len(view.comments) != 1)}")


@comments_app.command("place")
def place(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    thread: Annotated[int, typer.Argument(help="The thread's id (see list)")],
    version: Annotated[str, typer.Option(help="The id of the later version to place it on")],
    region: Annotated[str, typer.Option(help="x,y,w,h in percent of the picture")] = "",
    time: Annotated[str, typer.Option(help="Video seconds: start or start,end")] = "",
    phrase: Annotated[str, typer.Option(help="Words of the copy")] = "",
) -> None:
    """Put a thread's pin where it belongs on a later version, by hand."""
    from dam_app.accounts.principal import system_principal
    from dam_app.comments import service
    from dam_app.db import session_scope

    with refusals("not placed"), session_scope() as session:
        view = service.place(
            session=session, principal=system_principal(), asset_id=asset_id_arg(asset_id), thread_id=thread,
            version_id=_version_id(version), anchor=_anchor(region, time, phrase),
        )  # fmt: skip
    console.print(f"thread #{view.id}: {view.placement_label} ({escape(view.placement_note)})")


@comments_app.command("resolve")
def resolve(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    thread: Annotated[int, typer.Argument(help="The thread's id (see list)")],
    reopen: Annotated[bool, typer.Option("--reopen", help="Reopen it instead")] = False,
) -> None:
    """Resolve (or --reopen) a thread."""
    from dam_app.accounts.principal import system_principal
    from dam_app.comments import service
    from dam_app.db import session_scope

    with refusals("not changed"), session_scope() as session:
        view = service.set_resolved(
            session=session, principal=system_principal(), asset_id=asset_id_arg(asset_id), thread_id=thread,
            resolved=not reopen,
        )  # fmt: skip
    console.print(f"thread #{view.id} {'resolved' if view.resolved else 'reopened'}")
