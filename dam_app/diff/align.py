"""Bring the newer picture into the older one's frame before comparing, so a re-export at another
size or a slightly shifted crop does not light up as "everything changed".

Candidates are tried and the best-correlated one wins: the same framing (B scaled onto A), that
framing refined by ECC (small shifts, scale and rotation), and ORB feature matching with RANSAC (crops
with another aspect ratio), refined by ECC too. OpenCV does the estimating."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

WORK_PX = 1024  # the long side pictures are compared at
ECC_PX = 360  # the long side ECC estimates on (the warp is scaled up after)
ORB_FEATURES = 3000
MIN_INLIERS = 12
MIN_COVERAGE = 0.5  # an alignment that leaves more than half of A uncovered is not believed
SIMPLER_WINS_BY = 0.002  # a warp must correlate this much better than no warp to be used


@dataclass(frozen=True)
class Aligned:
    reference: np.ndarray  # A at the working size, RGB uint8
    moved: np.ndarray  # B warped into A's frame at the same size, RGB uint8
    valid: np.ndarray  # bool: where B has pixels after the warp
    method: str  # "same framing", "ecc", "features" or "features+ecc"
    shift_px: tuple[float, float]  # B's offset in the working frame's pixels (x, y)
    scale: float  # how much B was scaled beyond plain resizing (1.0: none)
    score: float  # correlation of the two pictures in grey, on the covered area
    warp: np.ndarray  # 2x3: B's pixels at `source_size` -> the working frame (comments/carry.py inverts it)
    source_size: tuple[int, int]  # (width, height) of the B the warp starts from

    @property
    def coverage(self) -> float:
        return float(self.valid.mean())

    def to_b(self, x: float, y: float) -> tuple[float, float]:
        """A point of A (fractions of the picture) where it falls on B (fractions; outside 0-1: off B)."""
        height, width = self.reference.shape[:2]
        inverse = cv2.invertAffineTransform(self.warp.astype(np.float64))
        bx, by = inverse @ np.array([x * width, y * height, 1.0])
        return float(bx / self.source_size[0]), float(by / self.source_size[1])


@dataclass(frozen=True)
class _Candidate:
    method: str
    source: np.ndarray  # RGB uint8
    warp: np.ndarray  # 2x3, source pixels -> working frame pixels


def working_size(a_size: tuple[int, int], b_size: tuple[int, int]) -> tuple[int, int]:
    """A's aspect ratio; its long side the smallest of WORK_PX and both pictures' long sides (a 100 px
    picture is compared at 100 px: scaling it up would only invent differences)."""
    aw, ah = a_size
    long_side = min(WORK_PX, max(aw, ah), max(b_size))
    factor = long_side / max(aw, ah)
    return max(1, round(aw * factor)), max(1, round(ah * factor))


def align(a: Image.Image, b: Image.Image, *, search: bool = True) -> Aligned:
    """B in A's frame at the working size, by the best candidate (`search=False`: B only scaled onto
    A, as a comparison without alignment would see it)."""
    width, height = working_size(a.size, b.size)
    reference = _rgb(a, (width, height))
    framed = _rgb(b, (width, height))
    candidates = [_Candidate("same framing", framed, np.eye(2, 3, dtype=np.float32))]
    if not search:
        return _apply(reference, candidates[0])
    if (fitted := _ecc(reference, framed)) is not None:
        candidates.append(_Candidate("ecc", framed, fitted))
    if (matched := _features(reference, b)) is not None:
        candidates.append(matched)
        if (refined := _refined(reference, matched)) is not None:
            candidates.append(refined)
    best: tuple[float, Aligned] | None = None
    for candidate in candidates:
        result = _apply(reference, candidate)
        if result.coverage < MIN_COVERAGE:
            continue
        margin = 0.0 if best is None else SIMPLER_WINS_BY
        if best is None or result.score > best[0] + margin:
            best = (result.score, result)
    return best[1] if best is not None else _apply(reference, candidates[0])


def _rgb(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(image.convert("RGB").resize(size, Image.Resampling.LANCZOS))


def _gray(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _ecc(reference: np.ndarray, moving: np.ndarray) -> np.ndarray | None:
    """An affine ECC fit on small grey copies: the 2x3 warp taking `moving`'s pixels onto
    `reference`'s (both the same size), or None when it does not converge."""
    height, width = reference.shape[:2]
    factor = min(1.0, ECC_PX / max(width, height))
    small = (max(8, round(width * factor)), max(8, round(height * factor)))
    template = cv2.resize(_gray(reference), small, interpolation=cv2.INTER_AREA).astype(np.float32)
    moved = cv2.resize(_gray(moving), small, interpolation=cv2.INTER_AREA).astype(np.float32)
    start = np.eye(2, 3, dtype=np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 80, 1e-5)
    try:
        mask = np.full(template.shape, 255, dtype=np.uint8)
        _, found = cv2.findTransformECC(template, moved, start, cv2.MOTION_AFFINE, criteria, mask, 5)
    except cv2.error:
        return None  # did not converge: the other candidates remain
    warp = np.asarray(found, dtype=np.float32)
    scale_x, scale_y = width / small[0], height / small[1]
    warp[0, 2] *= scale_x
    warp[1, 2] *= scale_y
    warp[0, 1] *= scale_x / scale_y
    warp[1, 0] *= scale_y / scale_x
    # ECC's warp maps the template's pixels to the moving picture's; ours goes the other way.
    return cv2.invertAffineTransform(warp)


def _refined(reference: np.ndarray, candidate: _Candidate) -> _Candidate | None:
    """The candidate followed by an ECC fit of what is left (feature matches are a few tenths of a
    pixel off, which thin edges would show as changes)."""
    size = (reference.shape[1], reference.shape[0])
    moved = cv2.warpAffine(
        candidate.source, candidate.warp, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    residual = _ecc(reference, moved)
    if residual is None:
        return None
    combined = np.vstack([residual, [0, 0, 1]]) @ np.vstack([candidate.warp, [0, 0, 1]])
    return _Candidate(f"{candidate.method}+ecc", candidate.source, combined[:2].astype(np.float32))


def _features(reference: np.ndarray, b: Image.Image) -> _Candidate | None:
    """Match ORB features of B (at most WORK_PX) to A and fit a similarity transform with RANSAC."""
    factor = min(1.0, WORK_PX / max(b.size))
    source = _rgb(b, (max(1, round(b.width * factor)), max(1, round(b.height * factor))))
    orb = cv2.ORB.create(ORB_FEATURES)
    ref_points, ref_desc = orb.detectAndCompute(_gray(reference), None)
    src_points, src_desc = orb.detectAndCompute(_gray(source), None)
    if ref_desc is None or src_desc is None or len(ref_points) < MIN_INLIERS or len(src_points) < MIN_INLIERS:
        return None
    matches = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(src_desc, ref_desc)
    if len(matches) < MIN_INLIERS:
        return None
    src = np.array([src_points[m.queryIdx].pt for m in matches], dtype=np.float32)
    dst = np.array([ref_points[m.trainIdx].pt for m in matches], dtype=np.float32)
    warp, inliers = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=3.0)
    if warp is None or inliers is None or int(inliers.sum()) < MIN_INLIERS:
        return None
    return _Candidate("features", source, warp.astype(np.float32))


def _apply(reference: np.ndarray, candidate: _Candidate) -> Aligned:
    height, width = reference.shape[:2]
    size = (width, height)
    moved = cv2.warpAffine(
        candidate.source, candidate.warp, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    ones = np.full(candidate.source.shape[:2], 255, dtype=np.uint8)
    covered = cv2.warpAffine(ones, candidate.warp, size, flags=cv2.INTER_NEAREST) > 0
    # what plain resizing would have done, so the reported scale and shift are what alignment added
    plain_x = width / candidate.source.shape[1]
    scale = float(np.hypot(candidate.warp[0, 0], candidate.warp[1, 0]) / plain_x)
    shift = (float(candidate.warp[0, 2]), float(candidate.warp[1, 2]))
    source_size = (candidate.source.shape[1], candidate.source.shape[0])
    score = _correlation(reference, moved, covered)
    return Aligned(reference, moved, covered, candidate.method, shift, scale, score, candidate.warp, source_size)


def _correlation(reference: np.ndarray, moved: np.ndarray, valid: np.ndarray) -> float:
    if valid.sum() < 16:
        return -1.0
    x = _gray(reference)[valid].astype(np.float64)
    y = _gray(moved)[valid].astype(np.float64)
    if x.std() < 1e-6 or y.std() < 1e-6:
        return 1.0 if abs(x.mean() - y.mean()) < 1.0 else 0.0
    return float(np.corrcoef(x, y)[0, 1])
