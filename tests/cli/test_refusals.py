"""The CLI's one error wrapper: a DamError prints "<prefix>: <why>" on stderr and exits with its kind's code."""

from __future__ import annotations

import uuid

import pytest
import typer
from typer.testing import CliRunner

import dam_app.errors as dam_errors
from dam_app.cli_errors import EXIT_BY_KIND, exit_code_for, refusals
from dam_app.errors import Conflict, DamError, Invalid, Malformed, NotFound
from tests.cli.test_cli import _dam

app = typer.Typer()


@app.command()
def fail(kind: str) -> None:
    errors: dict[str, DamError] = {
        "not_found": NotFound("asset", "some-id"),
        "invalid": Invalid("the title cannot be empty"),
        "conflict": Conflict("this asset is still being processed"),
    }
    with refusals("not changed"):
        raise errors[kind]


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("not_found", 2, "not changed: no such asset"),
        ("invalid", 2, "not changed: the title cannot be empty"),
        ("conflict", 1, "not changed: this asset is still being processed"),
    ],
)
def test_kind_gives_its_exit_code_and_message_on_stderr(kind: str, code: int, message: str) -> None:
    result = CliRunner().invoke(app, [kind])
    assert result.exit_code == code
    assert message in result.stderr and message not in result.stdout


def test_every_kind_has_an_exit_code() -> None:
    kinds = {v for v in vars(dam_errors).values() if isinstance(v, type) and issubclass(v, DamError)}
    assert all(exit_code_for(kind("x")) in (1, 2) for kind in kinds - {DamError, NotFound})
    assert kinds - {DamError, Malformed} <= set(EXIT_BY_KIND)  # Malformed exits as the Invalid it is


def test_approving_an_asset_no_one_has_exits_2_with_no_such_asset(services) -> None:
    refused = _dam(services, "approve", str(uuid.uuid4()), "--market", "NA")
    assert refused.returncode == 2
    assert "not recorded: no such asset" in refused.stderr and refused.stdout == ""
