"""The picture comparison on its own: noise that is no change stays quiet, real edits are found where
they are, and pictures of another size or crop are aligned first."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dam_app.diff import align, pixels
from tests.diff.pictures import banner, recompressed

A = banner()


def _compare(b: Image.Image, a: Image.Image = A) -> tuple[align.Aligned, pixels.PixelDiff]:
    aligned = align.align(a, b)
    return aligned, pixels.compare(aligned, a.size)


@pytest.mark.parametrize(
    ("name", "b"),
    [
        ("identical", A.copy()),
        ("recompressed at JPEG quality 60", recompressed(A, 60)),
        ("re-exported at 60% size", recompressed(A.resize((720, 377)), 70)),
        ("cropped 24 px left, 14 px top", A.crop((24, 14, 1200, 628))),
        ("cropped and resized", A.crop((40, 20, 1160, 610)).resize((900, 474))),
    ],
)
def test_what_is_no_change_shows_no_change(name: str, b: Image.Image) -> None:
    aligned, diff = _compare(b)
    assert diff.identical, f"{name}: {diff.regions}"
    assert diff.changed_fraction < 0.005 and aligned.score > 0.99


def test_a_crop_is_aligned_not_reported_as_everything_changed() -> None:
    aligned, diff = _compare(A.crop((24, 14, 1200, 628)))
    assert aligned.method in ("ecc", "features", "features+ecc")
    assert aligned.shift_px[0] == pytest.approx(24 * aligned.reference.shape[1] / 1200, abs=2.0)
    assert diff.identical


def test_a_square_crop_of_another_aspect_is_matched_by_features() -> None:
    crop = A.crop((0, 0, 628, 628))
    aligned, diff = _compare(crop)
    assert aligned.method.startswith("features") and 0.45 < aligned.coverage < 0.6
    assert diff.identical, diff.regions


def test_thirty_to_forty_percent_off_is_one_region_on_the_digit() -> None:
    _, diff = _compare(recompressed(banner("40% OFF"), 70))
    (region,) = diff.regions
    # "3" -> "4" is drawn at x 60..125, y 300..390 in A's pixels; "0% OFF" did not change
    assert 40 <= region.x <= 70 and region.x + region.width <= 160
    assert 280 <= region.y <= 310 and region.y + region.height <= 410
    assert 0.003 < diff.changed_fraction < 0.02


def test_a_colour_change_of_the_same_shape_is_found() -> None:
    _, diff = _compare(banner(button=(255, 230, 120)))
    assert diff.regions, "a white button turned yellow: structure alike, colour not"
    biggest = diff.regions[0]
    assert biggest.x < 70 and biggest.y < 480 and biggest.x + biggest.width > 370


def test_regions_are_listed_by_size_and_outlined_on_the_heatmap() -> None:
    edited = banner("40% OFF", button=(255, 230, 120))
    aligned, diff = _compare(edited)
    sizes = [r.changed_fraction for r in diff.regions]
    assert len(sizes) >= 2 and sizes == sorted(sizes, reverse=True)
    heat = Image.open(io.BytesIO(pixels.heatmap_jpeg(aligned, diff, A.size)))
    assert heat.size == (aligned.reference.shape[1], aligned.reference.shape[0])
    overlay = Image.open(io.BytesIO(pixels.aligned_jpeg(aligned)))
    assert overlay.size == heat.size


def test_a_huge_picture_against_a_tiny_one_is_compared_at_the_tiny_size() -> None:
    huge, tiny = A.resize((8000, 4187)), A.resize((100, 52))
    aligned, diff = _compare(tiny, huge)
    assert aligned.reference.shape[:2] == (52, 100)
    assert diff.identical
    regions_in_huge = pixels.compare(align.align(huge, banner("40% OFF").resize((100, 52))), huge.size).regions
    assert all(r.x + r.width <= 8000 and r.y + r.height <= 4187 for r in regions_in_huge)


def test_an_8000_pixel_square_against_a_100_pixel_one_is_compared_small_and_unchanged() -> None:
    square = A.crop((0, 0, A.height, A.height))
    huge, tiny = square.resize((8000, 8000)), square.resize((100, 100))
    aligned, diff = _compare(tiny, huge)
    assert aligned.reference.shape[:2] == (100, 100)  # compared at the smaller picture's size
    assert diff.identical and not diff.regions


def test_pictures_a_few_pixels_wide_compare_by_colour() -> None:
    a, b = Image.new("RGB", (2, 2), "white"), Image.new("RGB", (2, 2), "black")
    _, diff = _compare(b, a)
    assert diff.changed_fraction >= 0.0  # no exception on a picture too small for an SSIM window
