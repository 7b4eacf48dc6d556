"""A pin the worker could not place is put where it belongs by hand: the placement says who did it,
the pins stage run again leaves it there, the next version carries it on from there, the audit trail
lists it; whatever cannot be a place is refused with the reason, over the service, the API and the CLI."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import select
from typer.testing import CliRunner

from dam_app.accounts.principal import PermissionDenied, Principal
from dam_app.assets.models import Asset, Version
from dam_app.audit.models import AuditEvent
from dam_app.cli import app
from dam_app.comments import pins, service
from dam_app.comments.models import Placement
from dam_app.comments.views import ThreadView
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.errors import Invalid
from tests import factories
from tests.diff.helpers import picture_version

OFFER = {"type": "FragmentSelector", "value": "xywh=percent:5,46,35,18"}


def _noise() -> Image.Image:
    rng = np.random.default_rng(3)
    return Image.fromarray(rng.integers(0, 255, (628, 1200, 3), dtype=np.uint8))


def test_a_flagged_pin_is_placed_by_hand_and_later_versions_follow_it(
    services: dict[str, str], client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pins, "carry_thread_soon", pins.carry_thread)  # what the queued job does, here
    with session_scope() as session:
        admin = factories.admin(session)
        _, viewer = factories.user(session, role="viewer", regions=["NA"])
        asset = factories.asset(session, markets=("NA",), index=False)
        picture_version(session, admin, asset, generate.offer_banner("30% OFF"))
        thread = service.add(session=session, principal=admin, asset_id=asset.id, body="Offer wording?", anchor=OFFER)
        whole = service.add(session=session, principal=admin, asset_id=asset.id, body="Overall OK?")
        redrawn = picture_version(session, admin, asset, _noise())  # a new design: nothing to align with
        assert pins.carry_to(session, redrawn) == 2
        asset_id, redrawn_id, made_on = asset.id, redrawn.id, thread.version_id
    with session_scope() as session:
        shown = service.threads(session=session, principal=admin, asset_id=asset_id, version_id=redrawn_id)
        (flagged,) = [t for t in shown.threads if t.id == thread.id]
        assert flagged.placement == Placement.UNPLACED and flagged.anchor is None and flagged.kind == "picture"

        box = {"type": "FragmentSelector", "value": "xywh=percent:50,10,20,20"}
        placed = service.place(
            session=session, principal=admin, asset_id=asset_id, thread_id=thread.id, version_id=redrawn_id, anchor=box
        )
        assert (placed.placement, placed.placement_label) == ("placed", "placed by hand")
        assert placed.placement_note == f"placed by {admin.email}" and placed.anchor is not None
        assert placed.anchor["selector"]["value"] == "xywh=percent:50,10,20,20"

        refusals = [
            (dict(thread_id=whole.id, version_id=redrawn_id, anchor=box), Invalid, "on the whole version"),
            (dict(thread_id=thread.id, version_id=made_on, anchor=box), Invalid, "a pin is placed on a later version"),
            (dict(thread_id=thread.id, version_id=redrawn_id, anchor={"type": "FragmentSelector", "value": "t=2"}),
             Invalid, "only a video has times"),
            (dict(thread_id=thread.id, version_id=redrawn_id,
                  anchor={"type": "FragmentSelector", "value": "xywh=percent:90,90,20,20"}), Invalid, "outside"),
        ]  # fmt: skip

        def place_as(who: Principal, **kwargs: Any) -> ThreadView:
            arguments: dict[str, Any] = {"thread_id": thread.id, "version_id": redrawn_id, "anchor": box} | kwargs
            return service.place(session=session, principal=who, asset_id=asset_id, **arguments)

        for kwargs, error, message in refusals:
            with pytest.raises(error, match=message):
                place_as(admin, **kwargs)
        service.set_resolved(session=session, principal=admin, asset_id=asset_id, thread_id=thread.id, resolved=True)
        with pytest.raises(Invalid, match="reopen it to place its pin"):
            place_as(admin)
        service.set_resolved(session=session, principal=admin, asset_id=asset_id, thread_id=thread.id, resolved=False)
        with pytest.raises(PermissionDenied, match="places its pin"):
            place_as(viewer)

    with session_scope() as session:  # the pins stage again (a re-run) leaves the person's place alone
        asset = session.get_one(Asset, asset_id)
        pins.carry_to(session, session.get_one(Version, redrawn_id))
        next_one = picture_version(session, admin, asset, _noise())  # the same design again, re-exported
        pins.carry_to(session, next_one)
        next_id = next_one.id
    with session_scope() as session:
        stays = service.threads(session=session, principal=admin, asset_id=asset_id, version_id=redrawn_id).threads
        follows = service.threads(session=session, principal=admin, asset_id=asset_id, version_id=next_id).threads
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.action == "comment.place")).all()
    assert next(t for t in stays if t.id == thread.id).placement == "placed"
    carried = next(t for t in follows if t.id == thread.id)
    assert carried.placement == "untouched", carried.placement_note  # carried on from the hand-placed spot
    assert carried.anchor is not None and carried.anchor["selector"]["value"].startswith("xywh=percent:50")
    assert actions == ["comment.place"]

    url = f"/api/v1/assets/{asset_id}/comments/{thread.id}/placement"
    body = {"version_id": str(next_id), "anchor": {"type": "FragmentSelector", "value": "xywh=percent:40,40,10,10"}}
    assert client.put(url, json=body, headers=factories.bearer(viewer.user_id)).status_code == 403
    answer = client.put(url, json=body, headers=factories.bearer(admin.user_id))
    assert answer.status_code == 200 and answer.json()["placement"] == "placed", answer.text
    bad = client.put(url, json=body | {"anchor": {"type": "FragmentSelector", "value": "t=1"}},
                     headers=factories.bearer(admin.user_id))  # fmt: skip
    assert bad.status_code == 422 and "only a video has times" in bad.text

    result = CliRunner().invoke(
        app, ["comments", "place", str(asset_id), str(thread.id), "--version", "nope", "--region", "1,1,5,5"]
    )
    assert result.exit_code != 0 and "version" in result.output
    result = CliRunner().invoke(
        app, ["comments", "place", str(asset_id), str(thread.id), "--version", str(next_id), "--region", "1,1,5,5"]
    )
    assert result.exit_code == 0 and "placed by hand (placed by system)" in result.output, result.output
