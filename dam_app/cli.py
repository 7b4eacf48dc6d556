"""The `dam` command: start the system, run workers, migrate, import, inspect, manage users."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

import dam_app.models  # noqa: F401  (every table, so cross-domain foreign keys resolve)
from dam_app.cli_boards import board_app
from dam_app.cli_comments import comments_app
from dam_app.cli_compliance import compliance_app

# Commands import what they use inside their function: `dam --help` and `dam up` stay quick, without
# loading the pipeline, the search models or the web app they do not need. No import cycle hides there.
from dam_app.cli_errors import asset_id_arg, refusals
from dam_app.cli_rights import rights_app
from dam_app.cli_tagging import retag
from dam_app.cli_users import user_app
from dam_app.cli_versions import version_app
from dam_app.errors import Invalid

app = typer.Typer(help="dam_app: digital asset management for marketing teams", no_args_is_help=True)


@app.callback()
def _connect(ctx: typer.Context) -> None:
    """Every command but `up` reaches the servers now: external ones, or the embedded ones."""
    if ctx.invoked_subcommand == "up":
        return
    from dam_app.runtime.embedded import ensure_services

    services = ensure_services()
    ctx.call_on_close(services.stop)


db_app = typer.Typer(help="Database schema")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(version_app, name="version")
app.add_typer(compliance_app, name="compliance")
app.add_typer(rights_app, name="rights")
app.add_typer(comments_app, name="comments")
app.add_typer(board_app, name="board")
app.command()(retag)
console = Console()


@app.command()
def up(
    demo: Annotated[bool | None, typer.Option("--demo/--no-demo", help="Load the demo library")] = None,
) -> None:
    """Start everything: embedded PostgreSQL and Redis (unless DAM_*_URL are set), worker, web app."""
    from dam_app.accounts.bootstrap import DefaultSecretRefused
    from dam_app.runtime.supervisor import up as run_up

    try:
        code = run_up(with_demo=demo)
    except DefaultSecretRefused as exc:
        console.print(f"[red]refusing to start:[/red] {exc}")
        raise typer.Exit(2) from exc
    raise typer.Exit(code)


@app.command()
def worker(
    burst: Annotated[bool, typer.Option(help="Exit when the queue is empty")] = False,
    alerts_only: Annotated[bool, typer.Option(help="Send alerts only (a light second worker)")] = False,
) -> None:
    """Run one RQ worker on the dam queues (or on the alert queue alone)."""
    from dam_app.worker.run import run_worker

    run_worker(burst=burst, alerts_only=alerts_only)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply Alembic migrations up to REVISION."""
    from dam_app.runtime.migrate import upgrade_database

    upgrade_database(revision)
    console.print(f"database at {revision}")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(exists=True, help="File or folder (recursive)")],
    market: Annotated[list[str] | None, typer.Option("--market", "-m", help="Market code/name; repeatable")] = None,
    campaign: Annotated[str | None, typer.Option(help="Campaign name (created if new)")] = None,
    phase: Annotated[str | None, typer.Option(help="warm-up, peak or encore")] = None,
    type_: Annotated[str | None, typer.Option("--type", "-t", help="Content type, e.g. banner")] = None,
    channel: Annotated[str | None, typer.Option(help="Channel, e.g. tiktok")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
) -> None:
    """Import files; folder names like NA/banners/peak classify what they hold."""
    from dam_app.accounts.principal import system_principal
    from dam_app.assets.classify import Classification
    from dam_app.assets.importer import discover, import_tree

    options = Classification(markets=market or [], content_type=type_, campaign=campaign, phase=phase, channel=channel)
    total = len(discover(path))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=as_json,
    ) as progress:
        task = progress.add_task("importing", total=total)

        def on_result(file: Path, result: object) -> None:
            progress.update(task, advance=1, description=f"importing {file.name[:40]}")

        summary = import_tree(principal=system_principal(), root=path, options=options, on_result=on_result)
    failures = [{"file": f.filename, "reason": f.reason, "message": f.message} for f in summary.failures]
    if as_json:
        print(
            json.dumps(
                {
                    "imported": summary.imported,
                    "duplicates": summary.duplicates,
                    "failed": summary.failed,
                    "resumed": summary.resumed,
                    "failures": failures,
                }
            )
        )
    else:
        console.print(
            f"imported {summary.imported}, duplicates skipped {summary.duplicates}, "
            f"already done (resumed) {summary.resumed}, failed {summary.failed}"
        )
        for failure in failures:
            console.print(f"  [red]failed[/red] {failure['file']}: {failure['message']}")
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Services, queue depth, workers and failed jobs."""
    from dam_app.runtime.health import collect_status

    report = collect_status()
    if as_json:
        print(json.dumps(report, default=str))
        return
    for name, value in report.items():
        if name == "failed_stages":
            continue
        console.print(f"{name:>16}: {value}")
    for failure in report.get("failed_stages", []):
        console.print(
            f"  [red]failed[/red] asset {failure['asset_id']} {failure['stage']} "
            f"(attempts {failure['attempts']}): {failure['error']}"
        )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Plain words, e.g. 'beauty product North America latest'")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    sort: Annotated[str, typer.Option(help="relevance, newest or most_used")] = "relevance",
    require: Annotated[list[str] | None, typer.Option(help="Chip key to make a filter, e.g. colour:red")] = None,
    prefer: Annotated[list[str] | None, typer.Option(help="Chip key to make a preference, e.g. market:JP")] = None,
    exact: Annotated[bool, typer.Option(help="Only what meets every constraint (no loosening)")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Search the library as an administrator would see it (all markets)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.search import explain
    from dam_app.search import service as search_service

    with session_scope() as session:
        if sort not in search_service.SORTS:
            raise typer.BadParameter(f"sort must be one of {', '.join(search_service.SORTS)}")
        result = search_service.search(
            session=session,
            principal=system_principal(),
            query=query,
            limit=limit,
            sort=sort,
            require=require or (),
            prefer=prefer or (),
            exact=exact,
        )
    if as_json:
        from dam_app.api.search import SearchOut

        print(SearchOut.of(result).model_dump_json())
        return
    how = {True: "filters", False: "prefers"}
    chips = ", ".join(
        f"{c.label} ({how[c.strict] if c.kind != 'sort' else 'order'}; {c.key})" for c in result.parsed.chips
    )
    console.print(
        f"searching for {result.parsed.text or '(everything)'!r}; understood: {chips or 'none'}; {result.total} found"
    )
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")
    for rank, hit in enumerate(result.hits, start=1):
        console.print(
            f"{rank:>3}. {hit.card.asset.title}  [{', '.join(hit.card.asset.markets)}]  score {hit.score:.4f}"
        )
        console.print(f"     {' · '.join(explain.reasons(hit))}", highlight=False)


@app.command()
def similar(
    reference: Annotated[str, typer.Argument(help="An asset id (more like this) or an image/video file to look for")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Assets that look like an asset, or like a picture on disk (all markets)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.search import similar as similar_service

    path = Path(reference)
    with refusals("cannot search"), session_scope() as session:
        if path.is_file():
            result = similar_service.similar_to_image(
                session=session, principal=system_principal(), path=path, filename=path.name, limit=limit
            )
        else:
            try:
                asset_id = uuid.UUID(reference)
            except ValueError as exc:
                raise Invalid(f"{reference!r} is neither a file nor an asset id") from exc
            result = similar_service.similar_to_asset(
                session=session, principal=system_principal(), asset_id=asset_id, limit=limit
            )
    if as_json:
        from dam_app.api.similar import SimilarOut

        print(SimilarOut.of(result).model_dump_json())  # the API's shape
        return
    console.print(f"compared by {result.basis}; {len(result.hits)} found")
    for rank, hit in enumerate(result.hits, start=1):
        mark = "  [bold]near duplicate[/bold]" if hit.near_duplicate else ""
        markets = ", ".join(hit.card.asset.markets)
        console.print(f"{rank:>3}. {hit.card.asset.title}  [{markets}]  {hit.similarity:.3f}{mark}")


@app.command()
def duplicates(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Groups of near-duplicate assets (the same picture resized, recompressed or slightly cropped)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.search import similar as similar_service

    with session_scope() as session:
        groups = similar_service.duplicate_groups(session=session, principal=system_principal())
    if as_json:
        from dam_app.api.similar import DuplicatesOut

        print(DuplicatesOut.of(groups).model_dump_json())  # the API's shape
        return
    console.print(f"{len(groups)} groups of near duplicates")
    for number, group in enumerate(groups, start=1):
        console.print(f"{number:>3}. " + "  =  ".join(f"{c.asset.title} ({str(c.asset.id)[:8]})" for c in group.cards))


@app.command()
def approve(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    market: Annotated[str, typer.Option(help="One of the asset's markets, e.g. NA")],
    stage: Annotated[str, typer.Option(help="legal, brand or market")] = "legal",
    reject: Annotated[bool, typer.Option("--reject", help="Record a rejection instead (needs --note)")] = False,
    with_changes: Annotated[
        bool, typer.Option("--with-changes", help="Approve once the changes in --note are made")
    ] = False,
    note: Annotated[str, typer.Option(help="Why, for the people who read the decision")] = "",
) -> None:
    """Approve (or --reject, or approve --with-changes) the current version for one market at one stage."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.review import service as review_service

    with refusals("not recorded"), session_scope() as session:
        view = review_service.record_decision(
            session=session,
            principal=system_principal(),
            asset_id=asset_id_arg(asset_id),
            market=market,
            stage=stage,
            decision="rejected" if reject else "approved_with_changes" if with_changes else "approved",
            note=note,
        )
    console.print(f"{view.stage} {view.decision} for {view.market}")


@app.command("since-approved")
def since_approved(asset_id: Annotated[str, typer.Argument(help="The asset's id")]) -> None:
    """For each market that approved an earlier version: whether the current one changed where it reads."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.review import service as review_service

    with refusals("cannot say"), session_scope() as session:
        changes = review_service.since_approved(
            session=session, principal=system_principal(), asset_id=asset_id_arg(asset_id)
        )
    if not changes:
        console.print("no market approved an earlier version")
    for c in changes:
        console.print(f"{c.market:<7} {c.state:<13} {escape(c.text)}")


@app.command()
def edit(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    title: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    market: Annotated[list[str] | None, typer.Option(help="Replaces the markets; repeat for several")] = None,
    content_type: Annotated[str | None, typer.Option("--type", help="'' clears it")] = None,
    phase: Annotated[str | None, typer.Option()] = None,
    channel: Annotated[str | None, typer.Option()] = None,
    campaign: Annotated[str | None, typer.Option(help="A campaign name, created on first use")] = None,
    language: Annotated[str | None, typer.Option()] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag to add; repeat for several")] = None,
    untag: Annotated[list[str] | None, typer.Option(help="A tag to take off; repeat for several")] = None,
) -> None:
    """Change an asset's title, description, classification or tags; search follows."""
    from dam_app.accounts.principal import system_principal
    from dam_app.assets import editing
    from dam_app.db import session_scope

    change = editing.AssetEdit(
        title=title,
        description=description,
        markets=market or None,
        content_type=content_type,
        campaign=campaign,
        phase=phase,
        channel=channel,
        language=language,
        add_tags=tag or [],
        remove_tags=untag or [],
    )
    with refusals("not changed"), session_scope() as session:
        asset = editing.edit_asset(
            session=session, principal=system_principal(), asset_id=asset_id_arg(asset_id), edit=change
        )
    console.print(f"{asset.title} [{', '.join(asset.markets)}] {asset.content_type or ''} {asset.phase or ''}")


@app.command()
def reindex() -> None:
    """Queue search indexing (and visual signatures) for every asset that lacks them, every registered
    stage a version lacks (a stage added after its upload), and processing that the queue lost (Redis
    restarted without its data or was down when a file was uploaded)."""
    from dam_app.assets.jobs import enqueue_missing_stages
    from dam_app.search.jobs import enqueue_missing
    from dam_app.worker.queues import QueueUnavailable
    from dam_app.worker.sweeper import sweep

    try:
        console.print(f"queued {enqueue_missing()} jobs")
        console.print(f"queued {enqueue_missing_stages()} versions for stages they lack")
        swept = sweep()
    except QueueUnavailable as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if swept.unreachable:
        console.print("[red]error:[/red] the job queue cannot be reached")
        raise typer.Exit(1)
    console.print(f"queued again {swept.requeued} uploads whose processing the queue had lost")
    if swept.given_up:
        console.print(f"marked {swept.given_up} uploads failed: their worker died on every attempt")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
