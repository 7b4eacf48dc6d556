"""What a picture looks like, from its pixels alone: a colour-and-layout vector for "more like this",
perceptual hashes for near duplicates, named dominant colours and the orientation.

The vector joins three unit-length parts, weighted so that cosine similarity is their weighted mean:
- colour (76): a hue x saturation x value histogram, greys by lightness, square-rooted so that one
  big flat background does not drown every other colour;
- layout (108): the mean colour of a 6 x 6 grid (YCbCr), where things are in the frame;
- structure (96): gradient orientations in a 4 x 4 grid, where the edges are and which way they run.
Every part is computed on a 64 x 64 copy, so resizing and recompression barely move it.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image

from dam_app.assets.media import flatten

DESCRIPTOR = "colour-layout-edges-v1"
_WEIGHTS = {"colour": 0.5, "layout": 0.3, "structure": 0.2}
_HUE_BINS = 12
_GRID = 6
_CELLS = 4
_ORIENTATIONS = 6

COLOUR_NAMES = (
    "red",
    "orange",
    "yellow",
    "green",
    "teal",
    "blue",
    "purple",
    "pink",
    "brown",
    "black",
    "white",
    "grey",
)
MIN_COLOUR_SHARE = 0.12  # a colour names the picture when it covers at least this much of it


@dataclass(frozen=True)
class VisualFacts:
    vector: list[float]
    phash: str
    dhash: str
    colours: list[tuple[str, float]]  # (name, share of the picture), largest first
    orientation: str


def describe(image: Image.Image) -> VisualFacts:
    rgb = flatten(image)  # transparency on white, as the picture is seen
    small = rgb.resize((64, 64), Image.Resampling.BOX, reducing_gap=2.0)
    parts = {
        "colour": _colour_histogram(small),
        "layout": _layout(small),
        "structure": _structure(small),
    }
    vector = np.concatenate([np.sqrt(_WEIGHTS[name]) * part for name, part in parts.items()])
    return VisualFacts(
        vector=[float(x) for x in _unit(vector)],
        phash=str(imagehash.phash(rgb)),
        dhash=str(imagehash.dhash(rgb)),
        colours=dominant_colours(small),
        orientation=orientation_of(*rgb.size),
    )


def hamming(a: str, b: str) -> int:
    """Differing bits of two hex-encoded 64-bit hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def orientation_of(width: int, height: int) -> str:
    ratio = width / max(1, height)
    return "landscape" if ratio > 1.1 else "portrait" if ratio < 1 / 1.1 else "square"


def dominant_colours(small: Image.Image, *, palette_size: int = 8) -> list[tuple[str, float]]:
    """Named colours covering at least MIN_COLOUR_SHARE of the picture, largest first (at most 3)."""
    quantized = small.quantize(palette_size, method=Image.Quantize.FASTOCTREE)
    palette = quantized.getpalette() or []
    counts = quantized.getcolors() or []
    total = sum(n for n, _ in counts) or 1
    shares: dict[str, float] = {}
    for count, index in counts:
        start = 3 * int(index)  # type: ignore[arg-type]  # a palette image's colours are indexes
        r, g, b = palette[start : start + 3]
        name = colour_name(r, g, b)
        shares[name] = shares.get(name, 0.0) + count / total
    named = sorted(((n, round(s, 3)) for n, s in shares.items() if s >= MIN_COLOUR_SHARE), key=lambda p: -p[1])
    return named[:3]


def colour_name(r: int, g: int, b: int) -> str:
    """The everyday name of an sRGB colour, one of COLOUR_NAMES."""
    h, s, v = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    hue = h * 360
    if v < 0.2:
        return "black"
    if s < 0.15:
        return "white" if v > 0.85 else "grey"
    if 15 <= hue < 45 and v < 0.6:
        return "brown"
    for limit, name in ((15, "red"), (40, "orange"), (70, "yellow"), (160, "green"), (195, "teal"), (255, "blue")):
        if hue < limit:
            return name
    return "purple" if hue < 290 else "pink" if hue < 345 else "red"


def _colour_histogram(small: Image.Image) -> np.ndarray:
    hsv = np.asarray(small.convert("HSV"), dtype=np.float32) / 255.0
    h, s, v = hsv[..., 0].ravel(), hsv[..., 1].ravel(), hsv[..., 2].ravel()
    chromatic = (s >= 0.2) & (v >= 0.2)
    hue_bin = np.minimum((h * _HUE_BINS).astype(int), _HUE_BINS - 1)
    index = hue_bin * 6 + (s >= 0.6).astype(int) * 3 + np.minimum((v * 3).astype(int), 2)
    grey = _HUE_BINS * 6 + np.minimum((v * 4).astype(int), 3)
    bins = np.where(chromatic, index, grey)
    histogram = np.bincount(bins, minlength=_HUE_BINS * 6 + 4).astype(np.float32)
    return _unit(np.sqrt(histogram / max(1, bins.size)))


def _layout(small: Image.Image) -> np.ndarray:
    grid = np.asarray(small.convert("YCbCr").resize((_GRID, _GRID), Image.Resampling.BOX), dtype=np.float32) / 255.0
    grid[..., 1:] -= 0.5  # chroma around zero, lightness as is
    return _unit(grid.ravel())


def _structure(small: Image.Image) -> np.ndarray:
    grey = np.asarray(small.convert("L"), dtype=np.float32) / 255.0
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    orientation = np.minimum((angle / np.pi * _ORIENTATIONS).astype(int), _ORIENTATIONS - 1)
    size = grey.shape[0] // _CELLS
    rows, cols = np.indices(grey.shape) // size
    cell = np.minimum(rows, _CELLS - 1) * _CELLS + np.minimum(cols, _CELLS - 1)
    bins = (cell * _ORIENTATIONS + orientation).ravel()
    histogram = np.bincount(bins, weights=magnitude.ravel(), minlength=_CELLS * _CELLS * _ORIENTATIONS)
    return _unit(histogram.astype(np.float32))


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-9 else vector
