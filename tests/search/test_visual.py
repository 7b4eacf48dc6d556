"""The pixel descriptor on its own: colour names, orientation, hashes and what counts as the same
picture. No servers needed."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from dam_app.search import visual
from dam_app.search.signatures import is_near_duplicate


@pytest.mark.parametrize(
    ("rgb", "name"),
    [
        ((220, 30, 40), "red"),
        ((240, 140, 20), "orange"),
        ((240, 220, 40), "yellow"),
        ((40, 170, 70), "green"),
        ((20, 160, 170), "teal"),
        ((30, 80, 220), "blue"),
        ((120, 50, 200), "purple"),
        ((230, 80, 170), "pink"),
        ((120, 70, 30), "brown"),
        ((10, 10, 12), "black"),
        ((250, 250, 248), "white"),
        ((128, 128, 130), "grey"),
    ],
)
def test_colour_names(rgb: tuple[int, int, int], name: str) -> None:
    assert visual.colour_name(*rgb) == name


def _scene(colour: tuple[int, int, int], size: tuple[int, int] = (800, 600)) -> Image.Image:
    image = Image.new("RGB", size, (245, 243, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=colour)
    return image


def test_describe_names_dominant_colours_and_orientation() -> None:
    facts = visual.describe(_scene((200, 30, 40)))
    assert [name for name, _ in facts.colours] == ["white", "red"]
    assert facts.orientation == "landscape" and len(facts.vector) == 280
    assert abs(float(np.linalg.norm(facts.vector)) - 1.0) < 1e-5
    assert visual.describe(_scene((1, 1, 1), (600, 900))).orientation == "portrait"
    assert visual.orientation_of(500, 520) == "square"
    transparent = Image.new("RGBA", (300, 300), (0, 0, 0, 0))  # seen on white, not black
    assert visual.describe(transparent).colours == [("white", 1.0)]


def test_copies_are_the_same_picture_and_recolours_are_not() -> None:
    original = visual.describe(_scene((30, 80, 220)))
    small = visual.describe(_scene((30, 80, 220)).resize((200, 150)))
    recoloured = visual.describe(_scene((220, 30, 40)))

    def compare(a: visual.VisualFacts, b: visual.VisualFacts) -> bool:
        similarity = float(np.dot(a.vector, b.vector))
        return is_near_duplicate(similarity, visual.hamming(a.phash, b.phash), visual.hamming(a.dhash, b.dhash))

    assert compare(original, small)
    assert not compare(original, recoloured)
    assert float(np.dot(original.vector, recoloured.vector)) < 0.95  # same layout, another colour
    assert visual.hamming("ffffffffffffffff", "0000000000000000") == 64
