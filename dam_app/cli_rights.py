"""`dam rights ...`: an asset's rights records and its verdict per market (show), adding, editing and
removing records, as the operator (every change audited, as from the page or the API)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from dam_app.cli_errors import asset_id_arg, refusals
from dam_app.errors import Invalid
from dam_app.fields import day_or_none

# As in cli.py, commands import the services they use inside themselves for start-up speed only.
rights_app = typer.Typer(help="Rights records and the verdict per market")
console = Console()

Markets = Annotated[list[str], typer.Option("--market", help="A licensed market (GLOBAL for everywhere); repeat")]
Usages = Annotated[list[str] | None, typer.Option("--usage", help="web, social, print, tv or ooh; repeat; none: all")]
Day = Annotated[str, typer.Option(help="YYYY-MM-DD; '' for open")]
Licensor = Annotated[str, typer.Option(help="Licensor or source, e.g. Getty Images")]
Release = Annotated[str, typer.Option(help="PLUS code")]
Music = Annotated[str, typer.Option(help="'' (not recorded), licensed or no_music")]


@rights_app.command("show")
def show(asset_id: Annotated[str, typer.Argument(help="The asset's id")]) -> None:
    """The asset's verdict per market (with the reasons) and its rights records."""
    from dam_app.accounts.principal import system_principal
    from dam_app.assets import service as assets_service
    from dam_app.assets.models import Version
    from dam_app.db import session_scope
    from dam_app.rights import service as rights_service
    from dam_app.rights import verdicts

    principal = system_principal()
    with refusals(), session_scope() as session:
        asset = assets_service.visible_asset(session, principal, asset_id_arg(asset_id))
        version = session.get(Version, asset.current_version_id) if asset.current_version_id else None
        judged = verdicts.judge_version(session, asset, version) if version is not None else []
        records = rights_service.records_for(session=session, principal=principal, asset_id=asset.id)
    for v in judged:
        colour = {"usable": "green", "conditions": "yellow", "blocked": "red"}[v.verdict]
        console.print(f"[bold {colour}]{v.market}: {v.label}[/bold {colour}]")
        for reason in v.reasons:
            console.print(f"    {reason.severity:<10} {escape(reason.text)}")
    console.print(f"{len(records)} rights record{'s' * (len(records) != 1)}")
    for r in records:
        period = f"{r.licence_start:%Y-%m-%d}" if r.licence_start else "open"
        period += f" to {r.licence_end:%Y-%m-%d}" if r.licence_end else " to open"
        scope = f" (only {r.version_label})" if r.version_label else ""
        console.print(
            f"#{r.id} rev {r.revision} {r.source}{scope}: {escape(r.licence_source or '-')} {escape(r.licence_id)} "
            f"in {', '.join(r.licensed_markets) or 'no territory'}, {period}; usages {', '.join(r.usages) or 'all'}; "
            f"model {r.model_release_status or '-'}, property {r.property_release_status or '-'}, "
            f"minors {'yes' if r.minors else 'no'}, music {r.music or '-'}"
        )


@rights_app.command("add")
def add(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    market: Markets,
    licensor: Licensor = "",
    licence_id: Annotated[str, typer.Option()] = "",
    start: Day = "",
    end: Day = "",
    usage: Usages = None,
    model_release: Release = "",
    property_release: Release = "",
    minors: Annotated[bool, typer.Option("--minors", help="Minors are shown")] = False,
    music: Music = "",
    music_licence: Annotated[str, typer.Option()] = "",
    note: Annotated[str, typer.Option()] = "",
    only_version: Annotated[str, typer.Option(help="A version id: the record holds for that version only")] = "",
    record: Annotated[int | None, typer.Option(help="Replace this record instead of adding one")] = None,
    revision: Annotated[int | None, typer.Option(help="With --record: the revision you read (see show)")] = None,
) -> None:
    """Add a rights record (or replace --record N at --revision R, keeping its creator, copyright
    and version unless given); refused when another record covers one of its markets for an
    overlapping period."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.rights import service as rights_service
    from dam_app.rights.models import RightsRecordIn

    principal = system_principal()
    with refusals("not saved"), session_scope() as session:
        kept: dict[str, object] = {"version_id": only_version or None}
        if record is not None:
            if revision is None:
                raise Invalid("give the --revision you read (dam rights show): an edit of a changed record is refused")
            found = rights_service.records_for(session=session, principal=principal, asset_id=asset_id_arg(asset_id))
            old = next((r for r in found if r.id == record), None)
            if old is not None:
                kept = {
                    "version_id": only_version or old.version_id,
                    "creator": old.creator,
                    "copyright_notice": old.copyright_notice,
                }
        data = RightsRecordIn.checked(
            **kept,
            licence_source=licensor, licence_id=licence_id, licensed_markets=market,
            licence_start=day_or_none(start, "start"), licence_end=day_or_none(end, "end"), usages=usage or [],
            model_release_status=model_release, property_release_status=property_release, minors=minors,
            music=music, music_licence=music_licence, note=note,
        )  # fmt: skip
        saved = rights_service.save_record(
            session=session, principal=principal, asset_id=asset_id_arg(asset_id), data=data,
            record_id=record, revision=revision,
        )  # fmt: skip
    console.print(f"saved record #{saved.id} (revision {saved.revision})")


@rights_app.command("remove")
def remove(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    record: Annotated[int, typer.Argument(help="The record's number (see show)")],
    revision: Annotated[int | None, typer.Option(help="The revision you read; a newer one refuses it")] = None,
) -> None:
    """Remove a rights record (audited)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.rights import service as rights_service

    with refusals("not removed"), session_scope() as session:
        rights_service.delete_record(
            session=session, principal=system_principal(), asset_id=asset_id_arg(asset_id), record_id=record,
            revision=revision,
        )  # fmt: skip
    console.print(f"removed record #{record}")


@rights_app.command("stages")
def stages(
    market: Annotated[str | None, typer.Argument(help="A market code; omit to list every market")] = None,
    stage: Annotated[list[str] | None, typer.Argument(help="The stages it requires: legal, brand, market")] = None,
) -> None:
    """List the review stages each market requires, or set a market's (its assets are judged again)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.rights import policy

    with refusals("not changed"), session_scope() as session:
        if market is not None and stage:
            policy.set_review_stages(session=session, principal=system_principal(), code=market, stages=stage)
        elif market is not None:
            raise Invalid("name the stages the market requires, e.g. dam rights stages CN legal market")
        rows = policy.market_stages(session=session)
    for code, name, required in rows:
        if market is None or code == market.strip().upper():
            console.print(f"{code:<8} {escape(name):<24} {', '.join(required)}")
