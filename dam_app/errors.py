"""The one error hierarchy: domain code raises what went wrong, each interface (API, CLI, UI) says it.

The bottom layer: imports nothing from dam_app, so every domain module can raise these. The API
turns a kind into a status code (api/errors.py), the CLI into an exit code (cli_errors.py); no
interface matches on message text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


class DamError(Exception):
    """Something the caller asked for that cannot be done; `message` is a sentence to show them.

    (Not `reason`: RejectedFile and ingest results use that name for a short machine-readable code.)
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DamError):
    """No such thing for this caller, also when it exists outside their markets (scope never leaks)."""

    def __init__(self, what: str, ref: object = None) -> None:
        super().__init__(f"{what} not found")
        self.what = what
        self.ref = ref  # the id asked for, for logs; never shown (it may name something out of scope)


class Forbidden(DamError):
    """The caller's role or markets do not allow this; the message says which."""


class Invalid(DamError):
    """The input breaks a rule; the message says which, and nothing was changed."""


class Malformed(Invalid):
    """Input that is not even of the right form (a page cursor we never issued), not a broken rule."""


class Conflict(DamError):
    """The request is fine but what is stored now does not allow it (a duplicate, not processed yet)."""


class TooLarge(DamError):
    """An upload past the configured size limit; nothing was stored."""


class TooBusy(DamError):
    """The caller already has as much work waiting as one person may; nothing new was queued."""


def nearest_kind(exc: DamError, table: Mapping[type[DamError], T], default: T) -> T:
    """What `table` says for the nearest kind in the exception's class hierarchy (an HTTP status,
    an exit code), else `default`."""
    return next((table[kind] for kind in type(exc).__mro__ if kind in table), default)
