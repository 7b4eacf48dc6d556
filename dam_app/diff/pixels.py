"""Where two aligned pictures differ: SSIM (scikit-image) for structure, CIE Lab distance for colour,
so JPEG recompression and anti-aliased edges stay quiet while "30% OFF" -> "40% OFF" lights up.
Changed pixels are merged into regions, listed by size and outlined on a heatmap.

The thresholds were picked by measurement (`benchmarks/diff.py` prints each method's changed area on
recompressed, resized and shifted copies and on real edits)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from skimage.color import rgb2lab
from skimage.metrics import structural_similarity

from dam_app.diff.align import Aligned

SSIM_CHANGED = 0.30  # 1 - SSIM above this is a structural change
BLUR_SIGMA = 1.2  # pixels at the working size, before SSIM
COLOUR_CHANGED = 12.0  # CIE76 distance above this is a colour change (about "clearly visible")
COLOUR_BLUR_SIGMA = 1.6  # colour is compared on a softer copy: edges between colours move with resampling
MIN_REGION_FRACTION = 0.0002  # regions smaller than this share of the picture are noise
MAX_REGIONS = 50
EDGE_PX = 3  # the rim of B's covered area is ignored: resampling smears it


@dataclass(frozen=True)
class Region:
    """A changed area in A's own pixels: its box, and the share of the picture that changed in it."""

    x: int
    y: int
    width: int
    height: int
    changed_fraction: float

    def as_dict(self) -> dict[str, float | int]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height, "changed": self.changed_fraction}


@dataclass(frozen=True)
class PixelDiff:
    changed_fraction: float  # of the compared (covered) area
    regions: list[Region]
    intensity: np.ndarray  # float32, >= 1 where changed, at the working size
    changed: np.ndarray  # bool mask at the working size

    @property
    def identical(self) -> bool:
        return not self.regions


def change_intensity(aligned: Aligned) -> np.ndarray:
    """Per pixel: the larger of the structural and the colour change, in units of its threshold."""
    # A slight blur first: resampling and double JPEG move anti-aliased edges by a fraction of a pixel
    grey_a = cv2.GaussianBlur(cv2.cvtColor(aligned.reference, cv2.COLOR_RGB2GRAY), (0, 0), BLUR_SIGMA)
    grey_b = cv2.GaussianBlur(cv2.cvtColor(aligned.moved, cv2.COLOR_RGB2GRAY), (0, 0), BLUR_SIGMA)
    window = min(7, *(side - (1 - side % 2) for side in grey_a.shape))
    if window < 3:  # a picture a few pixels wide: compare colours only
        structural = np.zeros(grey_a.shape, dtype=np.float32)
    else:
        _, ssim_map = structural_similarity(grey_a, grey_b, win_size=window, data_range=255, full=True)
        structural = np.clip(1.0 - ssim_map, 0.0, 2.0).astype(np.float32) / SSIM_CHANGED
    blur_a = cv2.GaussianBlur(aligned.reference, (0, 0), COLOUR_BLUR_SIGMA)
    blur_b = cv2.GaussianBlur(aligned.moved, (0, 0), COLOUR_BLUR_SIGMA)
    colour = np.linalg.norm(rgb2lab(blur_a) - rgb2lab(blur_b), axis=2).astype(np.float32) / COLOUR_CHANGED
    intensity = np.maximum(structural, colour)
    intensity[~_inner(aligned.valid)] = 0.0
    return intensity


def compare(aligned: Aligned, original_size: tuple[int, int]) -> PixelDiff:
    """The changed regions, their boxes in A's original pixels (`original_size`)."""
    return regions_in(change_intensity(aligned), aligned.valid, original_size)


def regions_in(intensity: np.ndarray, valid: np.ndarray, original_size: tuple[int, int]) -> PixelDiff:
    """Pixels at or above 1 in `intensity` (any measure of change), merged into regions by size."""
    changed = intensity >= 1.0
    height, width = changed.shape
    cleaned = cv2.morphologyEx(changed.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    reach = max(3, round(max(width, height) * 0.012))  # merge the letters of one word into one region
    merged = cv2.dilate(cleaned, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(merged, connectivity=8)
    scale_x, scale_y = original_size[0] / width, original_size[1] / height
    total = float(width * height)
    regions = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        inside = int(cleaned[y : y + h, x : x + w][labels[y : y + h, x : x + w] == label].sum())
        if inside / total < MIN_REGION_FRACTION:
            continue
        regions.append(
            Region(
                x=round(x * scale_x),
                y=round(y * scale_y),
                width=max(1, round(w * scale_x)),
                height=max(1, round(h * scale_y)),
                changed_fraction=round(inside / total, 5),
            )
        )
    regions.sort(key=lambda r: r.changed_fraction, reverse=True)
    covered = max(1, int(valid.sum()))
    kept = cleaned.astype(bool)
    return PixelDiff(round(float(kept.sum()) / covered, 5), regions[:MAX_REGIONS], intensity, kept)


def heatmap_jpeg(aligned: Aligned, diff: PixelDiff, original_size: tuple[int, int]) -> bytes:
    """A dimmed grey copy of A, the change intensity in colour on top, each region outlined and numbered
    (numbers as in the list), B's uncovered part hatched."""
    grey = cv2.cvtColor(aligned.reference, cv2.COLOR_RGB2GRAY)
    base = cv2.cvtColor((grey * 0.45 + 120).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    heat = cv2.applyColorMap(np.clip(diff.intensity * 96, 0, 255).astype(np.uint8), cv2.COLORMAP_INFERNO)
    heat = cv2.cvtColor(heat, cv2.COLOR_BGR2RGB)
    alpha = np.clip((diff.intensity - 0.5) * 2.0, 0.0, 1.0)[..., None] * 0.85  # noise below half a threshold stays grey
    image = (base * (1 - alpha) + heat * alpha).astype(np.uint8)
    height, width = grey.shape
    hatch = ((np.add.outer(np.arange(height), np.arange(width)) // 6) % 2).astype(bool)
    image[~aligned.valid & hatch] = (200, 200, 200)
    scale_x, scale_y = width / original_size[0], height / original_size[1]
    thickness = max(1, round(max(width, height) / 500))
    for number, region in enumerate(diff.regions, start=1):
        top_left = (round(region.x * scale_x), round(region.y * scale_y))
        bottom_right = (round((region.x + region.width) * scale_x), round((region.y + region.height) * scale_y))
        cv2.rectangle(image, top_left, bottom_right, (0, 200, 255), thickness)
        label_at = (top_left[0] + 2, max(12, top_left[1] - 4))
        cv2.putText(image, str(number), label_at, cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 200, 255), 1, cv2.LINE_AA)
    return _jpeg(image)


def aligned_jpeg(aligned: Aligned) -> bytes:
    """B as it lies over A (swipe, onion skin and blink show this one), uncovered parts light grey."""
    image = aligned.moved.copy()
    image[~aligned.valid] = (230, 230, 230)
    return _jpeg(image)


def encode_jpeg(image: Image.Image) -> bytes:
    """A picture the comparison made (a keyframe), kept as JPEG."""
    return _jpeg(np.asarray(image.convert("RGB")))


def _inner(valid: np.ndarray) -> np.ndarray:
    return cv2.erode(valid.astype(np.uint8), np.ones((2 * EDGE_PX + 1, 2 * EDGE_PX + 1), np.uint8)).astype(bool)


def _jpeg(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
