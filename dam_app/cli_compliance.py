"""`dam compliance ...`: what the rule packs found in an asset, accepting a finding, and the packs
themselves (list, show, save an edited definition as the next version), as the operator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from dam_app.cli_errors import asset_id_arg, refusals
from dam_app.errors import Invalid

if TYPE_CHECKING:
    from dam_app.review.compliance_models import ComplianceRead

# As in cli.py, commands import the services they use inside themselves for start-up speed only.
compliance_app = typer.Typer(help="Compliance: rule pack findings and the packs")
console = Console()


def _print(read: ComplianceRead) -> None:
    if read.checked_at is None:
        console.print("not checked yet: the rule packs run after the text in the picture is read")
        return
    console.print(f"checked {read.checked_at:%Y-%m-%d %H:%M} UTC: {read.open_count} open of {len(read.findings)}")
    for f in read.findings:
        words = f"{escape(f.before)}[bold red]{escape(f.matched)}[/bold red]{escape(f.after)}".replace("\n", " ")
        state = "open" if f.exception is None else f"accepted by {f.exception.decided_by}: {escape(f.exception.reason)}"
        console.print(f"#{f.id} {f.market} {f.rule} in {f.field_label.lower()} ({state})\n    {words}")


@compliance_app.command("show")
def show(asset_id: Annotated[str, typer.Argument(help="The asset's id")]) -> None:
    """The findings on the asset's current version, open ones first, the words in their sentence."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.review import compliance

    with refusals(), session_scope() as session:
        read = compliance.findings_for(session=session, principal=system_principal(), asset_id=asset_id_arg(asset_id))
    _print(read)


@compliance_app.command("check")
def check(asset_id: Annotated[str, typer.Argument(help="The asset's id")]) -> None:
    """Check the asset's current version against the active packs now, and show what they found."""
    from dam_app.accounts.principal import system_principal
    from dam_app.assets import service as assets_service
    from dam_app.db import session_scope
    from dam_app.review import compliance

    principal = system_principal()
    with refusals("not checked"), session_scope() as session:
        asset = assets_service.visible_asset(session, principal, asset_id_arg(asset_id))
        if asset.current_version_id is None:
            raise Invalid("the asset has no version to check yet")
        compliance.check_version(session=session, version_id=asset.current_version_id)
        read = compliance.findings_for(session=session, principal=principal, asset_id=asset.id)
    _print(read)


@compliance_app.command("accept")
def accept(
    asset_id: Annotated[str, typer.Argument(help="The asset's id")],
    finding: Annotated[int, typer.Argument(help="The finding's number (#N in `dam compliance show`)")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is acceptable")] = "",
    evidence: Annotated[str, typer.Option("--evidence", help="For a health claim: the study or document")] = "",
) -> None:
    """Accept one finding for its version and market, with a reason (kept and audited)."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.review import compliance

    with refusals("not accepted"), session_scope() as session:
        read = compliance.accept_exception(
            session=session,
            principal=system_principal(),
            asset_id=asset_id_arg(asset_id),
            finding_id=finding,
            reason=reason,
            evidence=evidence,
        )
    console.print(f"#{read.id} {read.market} {escape(read.matched)}: accepted", highlight=False)


@compliance_app.command("packs")
def list_packs() -> None:
    """The newest version of every rule pack."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.review import rule_packs

    with refusals(), session_scope() as session:
        packs = rule_packs.list_packs(session=session, principal=system_principal())
    for p in packs:
        console.print(f"{p.key} v{p.version} [{', '.join(p.markets)}] {escape(p.name)}", highlight=False)


@compliance_app.command("pack")
def show_pack(key: Annotated[str, typer.Argument(help="The pack's key (see `dam compliance packs`)")]) -> None:
    """A pack's newest version as JSON: edit it and save it with `dam compliance save-pack`."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.review import rule_packs

    with refusals(), session_scope() as session:
        newest = rule_packs.history(session=session, principal=system_principal(), key=key)[0]
    print(json.dumps(newest.model_dump(mode="json"), ensure_ascii=False, indent=2))


@compliance_app.command("save-pack")
def save_pack(
    key: Annotated[str, typer.Argument(help="The pack's key")],
    file: Annotated[Path, typer.Argument(help="JSON: the pack (as `dam compliance pack` prints it) or its definition")],
    note: Annotated[str, typer.Option("--note", help="What changed, kept with the version")] = "",
) -> None:
    """Save FILE as the pack's next version; every current version is then checked against it."""
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope
    from dam_app.review import rule_packs

    with refusals("not saved"):
        try:
            body = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Invalid(f"{file} is not readable JSON: {exc}") from None
        if not isinstance(body, dict):
            raise Invalid(f"{file} holds no JSON object")
        whole = "definition" in body
        with session_scope() as session:
            saved = rule_packs.save_pack(
                session=session,
                principal=system_principal(),
                key=key,
                definition=body["definition"] if whole else body,
                name=body.get("name") if whole else None,
                markets=body.get("markets") if whole else None,
                note=note,
                base_version=body.get("version") if whole else None,
            )
    console.print(f"{saved.key} v{saved.version} saved; current versions are being checked against it")
