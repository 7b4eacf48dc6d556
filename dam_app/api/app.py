"""The FastAPI app mounted into Reflex: routes, error mapping, OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from dam_app.accounts.principal import PermissionDenied
from dam_app.api import assets, auth, editing, review, search, similar
from dam_app.assets.service import AssetNotFound, BadCursor

API_PREFIX = "/api/v1"


def build_api() -> FastAPI:
    import dam_app.models  # noqa: F401  (every table registered before the first query)

    api = FastAPI(
        title="dam_app API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    api.include_router(auth.router, prefix=API_PREFIX)
    api.include_router(assets.router, prefix=API_PREFIX)
    api.include_router(editing.router, prefix=API_PREFIX)
    api.include_router(search.router, prefix=API_PREFIX)
    api.include_router(similar.router, prefix=API_PREFIX)
    api.include_router(review.router, prefix=API_PREFIX)

    @api.exception_handler(AssetNotFound)
    async def _not_found(_request: Request, _exc: AssetNotFound) -> JSONResponse:
        return JSONResponse({"detail": "asset not found"}, status_code=404)

    @api.exception_handler(PermissionDenied)
    async def _forbidden(_request: Request, exc: PermissionDenied) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @api.exception_handler(BadCursor)
    async def _bad_cursor(_request: Request, exc: BadCursor) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @api.get(f"{API_PREFIX}/health", tags=["system"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api
