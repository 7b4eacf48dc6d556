"""The one API error handler: each DamError kind gets its status, with the domain's sentence as detail."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import dam_app.errors as dam_errors
from dam_app.accounts.principal import PermissionDenied
from dam_app.api import errors as api_errors
from dam_app.assets.service import AssetNotFound, BadCursor
from dam_app.assets.sniff import RejectedFile
from dam_app.errors import Conflict, DamError, Forbidden, Invalid, Malformed, NotFound, TooLarge
from dam_app.search.similar import NothingToCompare
from dam_app.storage.spool import UploadTooLarge

CASES: list[tuple[DamError, int, str]] = [
    (NotFound("board"), 404, "board not found"),
    (AssetNotFound("4c3d-secret-id"), 404, "asset not found"),  # never the id: it may be out of scope
    (Forbidden("no"), 403, "no"),
    (PermissionDenied("role 'viewer' lacks permission 'asset.write'"), 403, "role 'viewer' lacks permission"),
    (Invalid("the title cannot be empty"), 422, "the title cannot be empty"),
    (RejectedFile("corrupt_image", "image is corrupt or truncated"), 422, "image is corrupt or truncated"),
    (Malformed("not a cursor"), 400, "not a cursor"),
    (BadCursor("invalid page cursor"), 400, "invalid page cursor"),
    (Conflict("identical to v1.1"), 409, "identical to v1.1"),
    (NothingToCompare("still being processed"), 409, "still being processed"),
    (TooLarge("file is larger than the limit"), 413, "file is larger than the limit"),
    (UploadTooLarge("file is larger than the limit of 10 bytes"), 413, "limit of 10 bytes"),
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    api = FastAPI()
    api_errors.install(api)

    @api.get("/raise/{number}")
    def _raise(number: int) -> None:
        raise CASES[number][0]

    return TestClient(api)


@pytest.mark.parametrize("number", range(len(CASES)), ids=[type(c[0]).__name__ for c in CASES])
def test_handler_maps_each_kind_to_its_status_and_message(client: TestClient, number: int) -> None:
    _exc, status, message = CASES[number]
    response = client.get(f"/raise/{number}")
    assert response.status_code == status
    assert response.json().keys() == {"detail"} and message in response.json()["detail"]


def test_every_kind_has_a_status() -> None:
    kinds = {v for v in vars(dam_errors).values() if isinstance(v, type) and issubclass(v, DamError)}
    assert kinds - {DamError} <= set(api_errors.STATUS_BY_KIND)
