"""`dam retag`: read the text in pictures (and any stage) again, for some assets or all of them."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from dam_app.cli_errors import asset_id_arg, refusals
from dam_app.errors import Invalid

console = Console()
POLL_S = 0.5


def retag(
    asset_ids: Annotated[list[str] | None, typer.Argument(help="Asset ids; none with --all")] = None,
    all_assets: Annotated[bool, typer.Option("--all", help="Every asset's current version")] = False,
    stage: Annotated[list[str] | None, typer.Option(help="Stage to run again (repeatable); default: ocr")] = None,
    wait: Annotated[bool, typer.Option(help="Show progress until the worker has finished")] = False,
) -> None:
    """Run the tagging stages again on the current versions (a new OCR model, a changed taxonomy). A
    person's tags are kept; the stages after the chosen ones (the search index) run again too."""
    from dam_app.assets.jobs import rerun_stages
    from dam_app.db import session_scope
    from dam_app.processing import service as processing_service
    from dam_app.stages import REGISTRY

    with refusals("not queued"):
        if bool(asset_ids) == all_assets:
            raise Invalid("name assets by id, or pass --all (not both)")
        ids = None if all_assets else [asset_id_arg(value) for value in asset_ids or []]
        stages = stage or ["ocr"]
        count = rerun_stages(stages=stages, asset_ids=ids)  # an unreachable queue: the sweeper queues them later
    chain = REGISTRY.with_followers(stages)
    console.print(f"queued {count} assets for {', '.join(chain)}")
    if not wait or not count:
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as progress:
        task = progress.add_task("re-tagging", total=count * len(chain))
        while True:
            with session_scope() as session:
                left = processing_service.pending(session=session, stages=chain, asset_ids=ids)
            progress.update(task, completed=count * len(chain) - left)
            if not left:
                break
            time.sleep(POLL_S)
