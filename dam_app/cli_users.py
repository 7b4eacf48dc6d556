"""`dam user ...`: accounts, API tokens at creation, sign-in lockouts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from dam_app.cli_errors import refusals

# As in cli.py, commands import the services they use inside themselves for start-up speed only.
user_app = typer.Typer(help="User accounts")
console = Console()


@user_app.command("add")
def user_add(
    email: str,
    role: Annotated[str, typer.Option(help="admin, editor, reviewer or viewer")] = "viewer",
    region: Annotated[list[str] | None, typer.Option("--region", "-r", help="Market code; repeatable")] = None,
    all_regions: Annotated[bool, typer.Option("--all-regions", help="Unrestricted by market")] = False,
    name: Annotated[str | None, typer.Option(help="Display name")] = None,
    password: Annotated[str | None, typer.Option(help="Omit to be prompted")] = None,
    token: Annotated[bool, typer.Option("--token", help="Also issue an API token and print it once")] = False,
) -> None:
    """Create a user with a role and region scope."""
    from dam_app.accounts import service as accounts
    from dam_app.db import session_scope

    secret = password or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with refusals(), session_scope() as session:
        user = accounts.create_user(
            session=session,
            email=email,
            password=secret,
            role=role,
            display_name=name,
            region_codes=region or [],
            all_regions=all_regions,
        )
        issued = accounts.issue_api_token(session=session, user_id=user.id, name="cli") if token else None
    scope = "all markets" if user.all_regions else ", ".join(user.region_codes) or "only their own uploads"
    console.print(f"created {user.email} ({user.role}; {scope})")
    if issued:
        console.print(f"API token (shown once): {issued.token}")


@user_app.command("lockouts")
def user_lockouts() -> None:
    """Accounts and addresses locked out after repeated failed sign-ins, and when each lock lifts."""
    from dam_app.accounts import throttle
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope

    with session_scope() as session:
        rows = throttle.locked_keys(session=session, principal=system_principal())
    if not rows:
        console.print("nothing is locked out")
    for row in rows:
        until = f"{row.blocked_until:%Y-%m-%d %H:%M} UTC" if row.blocked_until else "-"
        console.print(f"{row.key}  {row.failures} failures, locked until {until}")


@user_app.command("unlock")
def user_unlock(
    who: Annotated[str, typer.Argument(help="An e-mail address, or a key as listed by 'dam user lockouts'")],
) -> None:
    """Lift a sign-in lockout now (audited)."""
    from dam_app.accounts import throttle
    from dam_app.accounts.principal import system_principal
    from dam_app.db import session_scope

    key = who if who.startswith(("account:", "address:")) else throttle.account_key(who)
    with session_scope() as session:
        lifted = throttle.unlock(session=session, principal=system_principal(), key=key)
    if not lifted:
        console.print(f"[red]error:[/red] {key} is not locked out")
        raise typer.Exit(1)
    console.print(f"unlocked {key}")
