"""Carrying pins to the next version, on real pictures and texts: a pin on the offer that changed is
"changed here", a pin on the untouched headline is "untouched" and moves with a re-framed crop, a
different picture flags the pin instead of dropping it; a rewritten phrase is found again; a time
past the new video's end is flagged."""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image

from dam_app.comments import anchors, carry
from dam_app.comments.models import Placement
from dam_app.demo import generate

WIDTH, HEIGHT = 1200, 628
OFFER = anchors.Box(60 / WIDTH, 290 / HEIGHT, 420 / WIDTH, 110 / HEIGHT)  # "30% OFF"
HEADLINE = anchors.Box(60 / WIDTH, 160 / HEIGHT, 440 / WIDTH, 70 / HEIGHT)  # "Double Eleven"
BUTTON_POINT = anchors.Box(220 / WIDTH, 515 / HEIGHT, 0, 0)


def test_pins_follow_a_new_offer_and_a_recrop() -> None:
    old = generate.offer_banner("30% OFF")
    match = carry.PictureMatch(old, generate.offer_banner("40% OFF"))
    offer, headline = match.place(OFFER), match.place(HEADLINE)
    assert offer.state == Placement.CHANGED and headline.state == Placement.UNTOUCHED
    assert _near(headline.anchor, HEADLINE), headline

    # The same banner cropped by 100 px on the left and scaled: the pin moves with the picture.
    recropped = generate.offer_banner("30% OFF").crop((100, 0, WIDTH, HEIGHT)).resize((880, 553))
    moved = carry.PictureMatch(old, recropped).place(BUTTON_POINT)
    assert moved.state == Placement.UNTOUCHED, moved.note
    box = anchors.box_of(moved.anchor or {})
    assert box is not None and (box.w, box.h) == (0, 0)
    assert abs(box.x - (220 - 100) / 1100) < 0.02 and abs(box.y - 515 / HEIGHT) < 0.02, box

    flagged = carry.PictureMatch(old, _noise()).place(OFFER)
    assert flagged.state == Placement.UNPLACED and flagged.anchor is None and flagged.note


def _near(anchor: dict[str, Any] | None, expected: anchors.Box) -> bool:
    box = anchors.box_of(anchor or {})
    return box is not None and all(
        abs(a - b) < 0.01 for a, b in zip(vars(box).values(), vars(expected).values(), strict=True)
    )


def _noise() -> Image.Image:
    rng = np.random.default_rng(7)
    return Image.fromarray(rng.integers(0, 255, (600, 600, 3), dtype=np.uint8))


def test_phrases_are_found_again_and_times_checked_against_the_new_length() -> None:
    text = "Our lightest trail shoe yet. Grippy outsole for wet rock. Ships in 2 days."
    start = text.index("Grippy outsole")
    anchor = anchors.text_anchor("copy", text, start, start + len("Grippy outsole for wet rock"))
    moved = carry.place_text(anchor, "New intro line. " + text)  # same words, same context, further on
    assert moved.state == Placement.UNTOUCHED and moved.anchor is not None
    assert moved.anchor["selector"][1]["start"] == start + len("New intro line. ")
    untouched = carry.place_text(anchor, text)
    assert untouched.state == Placement.UNTOUCHED and untouched.anchor == anchor
    rewritten = carry.place_text(anchor, "Our lightest trail shoe yet. Grippy outsoles for wet rocks. Ships fast.")
    assert rewritten.state == Placement.CHANGED and "rewritten" in rewritten.note
    _, quote, _ = anchors.quote_of(rewritten.anchor or {}) or ("", {}, {})
    assert "Grippy outsole" in quote["exact"]
    gone = carry.place_text(anchor, "A completely different product description about coffee beans.")
    assert gone.state == Placement.UNPLACED and gone.anchor is None

    timed = anchors.time_anchor(8.0, 9.5)
    assert carry.place_time(timed, 6.0, None).state == Placement.UNPLACED
    kept = carry.place_time(timed, 12.0, True)
    assert kept.state == Placement.UNTOUCHED and anchors.times_of(kept.anchor or {}) == (8.0, 9.5)
    assert carry.place_time(timed, 12.0, False).state == Placement.CHANGED


def test_a_rotated_version_keeps_the_whole_box_and_a_long_rewrite_is_found() -> None:
    old = generate.offer_banner("30% OFF")
    rotated = old.rotate(4, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(230, 70, 90))
    placed = carry.PictureMatch(old, rotated).place(HEADLINE)
    box = anchors.box_of(placed.anchor or {})
    assert placed.state != Placement.UNPLACED and box is not None, placed.note
    assert box.w >= HEADLINE.w * 0.95 and box.h >= HEADLINE.h  # the box around all four corners

    words = "Our new winter parka keeps you warm at minus twenty degrees with a recycled down filling. " * 4
    anchor = anchors.text_anchor("copy", words, 0, 360)
    rewritten = words[:360].replace("recycled", "reclaimed").replace("warm", "cosy") + " More to come."
    found = carry.place_text(anchor, rewritten)
    assert found.state == Placement.CHANGED and found.anchor is not None, found.note
