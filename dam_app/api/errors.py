"""The API's one translation of domain errors: a DamError kind becomes a status, its message the detail."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from dam_app.errors import (
    Conflict,
    DamError,
    Forbidden,
    Invalid,
    Malformed,
    NotFound,
    TooBusy,
    TooLarge,
    nearest_kind,
)

# Looked up along the exception's class hierarchy, so a domain class needs no entry of its own.
STATUS_BY_KIND: dict[type[DamError], int] = {
    NotFound: 404,
    Forbidden: 403,
    Malformed: 400,
    Invalid: 422,
    Conflict: 409,
    TooLarge: 413,
    TooBusy: 429,
}
UNMAPPED_STATUS = 400  # a DamError of a kind added later without a row here is still the caller's fault


def status_for(exc: DamError) -> int:
    """The status of the nearest kind in the exception's class hierarchy."""
    return nearest_kind(exc, STATUS_BY_KIND, UNMAPPED_STATUS)


async def dam_error_response(_request: Request, exc: Exception) -> JSONResponse:
    """The ErrorOut body (api/schemas.py) with the domain's sentence."""
    assert isinstance(exc, DamError)
    return JSONResponse({"detail": exc.message}, status_code=status_for(exc))


def install(api: FastAPI) -> None:
    """Register the handler; routes then raise domain errors instead of HTTPException."""
    api.add_exception_handler(DamError, dam_error_response)
