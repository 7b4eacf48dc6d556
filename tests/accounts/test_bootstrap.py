"""The first admin: the README's password on the embedded database, never a default on an external one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dam_app.accounts.bootstrap import ADMIN_EMAIL, DefaultSecretRefused, ensure_admin
from dam_app.accounts.login import SignInRefused, sign_in
from dam_app.config import DEMO_PASSWORD, reset_settings_cache


@pytest.fixture
def admin_password(services, monkeypatch) -> Iterator[object]:
    def _set(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv("DAM_ADMIN_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("DAM_ADMIN_PASSWORD", value)
        reset_settings_cache()

    yield _set
    monkeypatch.delenv("DAM_ADMIN_PASSWORD", raising=False)
    reset_settings_cache()


def test_embedded_database_gets_the_readme_admin_once(admin_password) -> None:
    admin_password(None)
    first = ensure_admin(external_database=False)
    assert (first.email, first.password, first.generated) == (ADMIN_EMAIL, DEMO_PASSWORD, False)
    assert ensure_admin(external_database=False).password == DEMO_PASSWORD  # reused, not created twice
    assert sign_in(email=ADMIN_EMAIL, password=DEMO_PASSWORD, address=None, hours=1)


def test_external_database_refuses_the_demo_password(admin_password) -> None:
    admin_password(DEMO_PASSWORD)
    with pytest.raises(DefaultSecretRefused, match="set DAM_ADMIN_PASSWORD to a password of your own"):
        ensure_admin(external_database=True)


def test_external_database_generates_a_password_shown_once(admin_password) -> None:
    admin_password(None)
    first = ensure_admin(external_database=True)
    assert first.generated and first.password and first.password != DEMO_PASSWORD and len(first.password) >= 16
    assert sign_in(email=ADMIN_EMAIL, password=first.password, address=None, hours=1)
    with pytest.raises(SignInRefused):
        sign_in(email=ADMIN_EMAIL, password=DEMO_PASSWORD, address=None, hours=1)
    again = ensure_admin(external_database=True)
    assert again.password is None and not again.generated  # never printed a second time


def test_a_configured_password_is_used(admin_password) -> None:
    admin_password("a-long-own-password")
    login = ensure_admin(external_database=True)
    assert login.password == "a-long-own-password" and not login.generated
    assert sign_in(email=ADMIN_EMAIL, password="a-long-own-password", address=None, hours=1)


def test_dam_up_refuses_the_demo_password_on_an_external_database(services) -> None:
    env = {**os.environ, **services, "DAM_ADMIN_PASSWORD": DEMO_PASSWORD}
    dam = Path(sys.executable).with_name("dam")
    done = subprocess.run([str(dam), "up"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    said = " ".join(done.stdout.split())  # the console wraps long lines
    assert "refusing to start" in said and "set DAM_ADMIN_PASSWORD to a password of your own" in said
    assert "Traceback" not in done.stdout + done.stderr
