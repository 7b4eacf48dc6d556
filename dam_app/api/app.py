"""The FastAPI app mounted into Reflex: routes, error mapping, OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError

import dam_app.models  # noqa: F401  (every table registered before the first query)
from dam_app import db
from dam_app.api import (
    admin,
    alerts,
    assets,
    audit,
    auth,
    boards,
    cards,
    comments,
    compliance,
    diffs,
    editing,
    errors,
    image_text,
    review,
    rights,
    search,
    similar,
    versions,
)
from dam_app.api.admission import AdmissionLimit
from dam_app.config import API_PREFIX, get_settings

log = logging.getLogger(__name__)


def build_api() -> FastAPI:
    api = FastAPI(
        title="dam_app API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    api.include_router(auth.router, prefix=API_PREFIX)
    api.include_router(assets.router, prefix=API_PREFIX)
    api.include_router(versions.router, prefix=API_PREFIX)
    api.include_router(editing.router, prefix=API_PREFIX)
    api.include_router(search.router, prefix=API_PREFIX)
    api.include_router(similar.router, prefix=API_PREFIX)
    api.include_router(review.router, prefix=API_PREFIX)
    api.include_router(admin.router, prefix=API_PREFIX)
    api.include_router(alerts.router, prefix=API_PREFIX)
    api.include_router(diffs.router, prefix=API_PREFIX)
    api.include_router(boards.router, prefix=API_PREFIX)
    api.include_router(cards.router, prefix=API_PREFIX)
    api.include_router(image_text.router, prefix=API_PREFIX)
    api.include_router(compliance.router, prefix=API_PREFIX)
    api.include_router(rights.router, prefix=API_PREFIX)
    api.include_router(audit.router, prefix=API_PREFIX)
    api.include_router(comments.router, prefix=API_PREFIX)

    errors.install(api)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's own handler repeats the input, and input with an unpaired surrogate cannot be
        # written as UTF-8: escaped JSON always can.
        body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
        return Response(body, status_code=422, media_type="application/json")

    @api.exception_handler(SQLAlchemyError)
    async def _database(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        reason = db.unavailable(exc)
        if reason is not None and reason.kind == "busy":
            log.warning("%s %s: %s (%s)", request.method, request.url.path, reason.message, db.pool_status())
        if reason is None:
            log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
            return JSONResponse({"detail": "internal error"}, status_code=500)
        return JSONResponse(
            {"detail": reason.message}, status_code=503, headers={"Retry-After": str(reason.retry_after_s)}
        )

    settings = get_settings()
    api.add_middleware(
        AdmissionLimit,
        max_in_flight=settings.max_pending_requests,
        slots=settings.web_threads,
        upload_slots=settings.upload_slots,
        queue_timeout_s=settings.queue_timeout_s,
    )

    @api.get(f"{API_PREFIX}/health", tags=["system"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api
