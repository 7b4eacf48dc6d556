"""`dam version ...`: add a file as an asset's new version, or restore an earlier one, as the operator."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from dam_app.cli_errors import asset_id_arg, refusals
from dam_app.errors import Conflict, Invalid, NotFound, TooLarge

if TYPE_CHECKING:
    from dam_app.assets.ingest import IngestResult

# As in cli.py, commands import the services they use inside themselves for start-up speed only.
version_app = typer.Typer(help="Asset versions")
console = Console()


@version_app.command("add")
def version_add(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    file: Annotated[Path, typer.Argument(help="The new file", exists=True, dir_okay=False)],
    note: Annotated[str, typer.Option("--note", help="The change note")] = "",
    major: Annotated[bool, typer.Option("--major", help="Number it v2.0 instead of v1.x")] = False,
    urgent: Annotated[bool, typer.Option("--urgent", help="Alert people now, even in their quiet hours")] = False,
) -> None:
    """Add FILE as the asset's next version (v1.1, or v2.0 with --major); earlier versions stay."""
    from dam_app.accounts.principal import system_principal
    from dam_app.assets.ingest import add_version
    from dam_app.db import session_scope

    with refusals("not added"), session_scope() as session:
        result = add_version(
            session=session,
            principal=system_principal(),
            asset_id=asset_id_arg(asset_id),
            path=file,
            filename=file.name,
            change_note=note,
            major=major,
            urgent=urgent,
        )
        _refuse_unless_added(result)
    console.print(f"{result.version_label} added ({result.filename})", highlight=False)


@version_app.command("restore")
def version_restore(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    version: Annotated[str, typer.Argument(help="The version to restore: its label (v1.0) or id")],
    note: Annotated[str, typer.Option("--note", help="Added to the change note")] = "",
    major: Annotated[bool, typer.Option("--major", help="Number it v2.0 instead of v1.x")] = False,
    urgent: Annotated[bool, typer.Option("--urgent", help="Alert people now, even in their quiet hours")] = False,
) -> None:
    """Make an earlier version current again as a new version; the history is kept."""
    from dam_app.accounts.principal import system_principal
    from dam_app.assets import versions
    from dam_app.db import session_scope

    principal = system_principal()
    with refusals("not restored"), session_scope() as session:
        source = versions.find_version(
            session=session, principal=principal, asset_id=asset_id_arg(asset_id), ref=version
        )
        result = versions.restore_version(
            session=session,
            principal=principal,
            asset_id=source.asset_id,
            version_id=source.id,
            note=note,
            major=major,
            urgent=urgent,
        )
        _refuse_unless_added(result)
    console.print(f"{result.version_label} added (restored from {source.label})", highlight=False)


def _refuse_unless_added(result: IngestResult) -> None:
    """An ingest outcome that added nothing becomes the domain error the CLI's one wrapper prints:
    a duplicate is a Conflict (exit 1), a refused file a refusal (exit 2)."""
    if result.outcome == "duplicate":
        raise Conflict(result.message)
    if result.outcome == "failed":
        if result.reason == "forbidden":
            raise NotFound("asset")
        raise (TooLarge if result.reason == "too_large" else Invalid)(result.message)


@version_app.command("compare")
def version_compare(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    before: Annotated[str, typer.Argument(help="The version before: its label (v1.0) or id")],
    after: Annotated[str, typer.Argument(help="The version after: its label (v1.1) or id")],
    here: Annotated[
        bool, typer.Option("--here", help="Compute in this process instead of waiting for the worker")
    ] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for the worker")] = 120.0,
) -> None:
    """Compare two versions: the changed regions (largest first), metadata, rights, tags and copy."""
    import time

    from dam_app.accounts.principal import system_principal
    from dam_app.assets import versions
    from dam_app.db import session_scope
    from dam_app.diff import jobs, service
    from dam_app.diff.models import DiffStatus

    principal = system_principal()
    with refusals("not compared"), session_scope() as session:
        asset = asset_id_arg(asset_id)
        a = versions.find_version(session=session, principal=principal, asset_id=asset, ref=before)
        b = versions.find_version(session=session, principal=principal, asset_id=asset, ref=after)
        diff = service.request_diff(session=session, principal=principal, a=a.id, b=b.id)
    if here and diff.status == DiffStatus.QUEUED:
        jobs.compute_diff(str(diff.id))
    deadline = time.monotonic() + wait
    while True:
        with session_scope() as session:
            diff = service.get_diff(session=session, principal=principal, diff_id=diff.id)
        if diff.status in (DiffStatus.DONE, DiffStatus.FAILED) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if diff.status == DiffStatus.FAILED:
        console.print(f"[red]comparison failed:[/red] {diff.error}", highlight=False)
        raise typer.Exit(1)
    if diff.status != DiffStatus.DONE:
        console.print(f"still {diff.step or diff.status} after {wait:g} s; is `dam worker` running? (or use --here)")
        raise typer.Exit(3)
    _print_diff(f"{a.label} -> {b.label}", diff.summary)


def _print_diff(title: str, summary: dict[str, Any]) -> None:
    found = summary.get("pixels") or {}
    regions = found.get("regions", [])
    verdict = "no visible change" if found.get("identical") else f"{len(regions)} changed region(s)"
    console.print(
        f"{title}: {verdict}, {found.get('changed', 0):.2%} of the picture, aligned by {found.get('alignment')}"
    )
    for number, r in enumerate(regions, start=1):
        console.print(f"  {number}. {r['width']} x {r['height']} px at ({r['x']}, {r['y']}), {r['changed']:.2%}")
    if found.get("note"):
        console.print(f"  note: {found['note']}", highlight=False)
    for change in summary.get("fields", []):
        console.print(
            f"  {change['group']} {change['name']}: {change['before']!r} -> {change['after']!r}", highlight=False
        )
    if words := summary.get("words"):
        changed = [f"{'-' if op == 'removed' else '+'}{text!r}" for op, text in words["segments"] if op != "same"]
        console.print(
            f"  copy: {words['removed_words']} word(s) out, {words['added_words']} in: " + " ".join(changed[:20])
        )
