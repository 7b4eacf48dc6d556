"""Read the text in a picture with tesseract: a quick look for text-like strokes first (most product
photos have none and cost a few milliseconds), then sparse-text OCR with the languages the asset's
markets write, lines rebuilt with their boxes, CJK and Thai joined without the spaces tesseract puts
between their characters.
"""

from __future__ import annotations

import functools
import os
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import pytesseract
from PIL import Image

from dam_app.assets.media import flatten

# Tesseract's OpenMP threads fight each other on two cores: one thread per call is ~6x faster here.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

METHOD = "tesseract-psm11-v2"
OCR_PX = 1280  # read at most this size: banner text stays 20-100 px high, the call stays ~0.2 s
LOOK_PX = 640  # look for strokes at this size
MIN_WORD_CONFIDENCE = 45  # tesseract's 0-100; below it a "word" is texture read as letters
MAX_LANGUAGES = 4  # each model adds ~0.05-0.1 s per call
CROP_MARGIN = 0.04  # of the picture's size, around the text regions read
LINE_MARGIN = 0.02  # around one line read again
TIMEOUT_S = 60  # a banner takes ~0.3 s; a picture that takes this long will not finish
MAX_REREADS = 3  # text-like regions the sparse pass read nothing in, each read again as one line

# ISO 639-1 (markets' languages) -> tesseract models. "zh" is simplified: with both Chinese models
# loaded tesseract reads simplified banners half in traditional characters (measured), so traditional
# is its own language, for markets that write it.
TESSERACT_MODELS: dict[str, tuple[str, ...]] = {
    "en": ("eng",),
    "zh": ("chi_sim",),
    "zh-Hant": ("chi_tra",),
    "ja": ("jpn",),
    "ko": ("kor",),
    "de": ("deu",),
    "fr": ("fra",),
    "es": ("spa",),
    "pt": ("por",),
    "id": ("ind",),
    "ms": ("ind",),  # Malay is written as Indonesian is; no separate model ships
    "vi": ("vie",),
    "th": ("tha",),
    "it": ("ita",),
    "ar": ("ara",),
}
# Scripts written without spaces between words: Thai, kana, Han, full-width forms (not Hangul).
_NO_SPACE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u3000-\u303f]")
_HAN_KANA = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed, failed or ran out of time on this picture: the stage records why
    and the rest of processing goes on (a picture's text never fails its upload)."""


@dataclass(frozen=True)
class Line:
    text: str
    box: tuple[float, float, float, float]  # x, y, width, height as fractions of the picture
    confidence: float  # 0..1


@dataclass(frozen=True)
class Reading:
    lines: tuple[Line, ...]
    languages: tuple[str, ...]
    seconds: float
    looked_only: bool = False  # no text-like strokes: tesseract did not run

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        weights = [len(line.text) for line in self.lines]
        if not weights:
            return 0.0
        return sum(line.confidence * w for line, w in zip(self.lines, weights, strict=True)) / sum(weights)


@functools.cache
def installed_models() -> frozenset[str]:
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrUnavailable(f"tesseract is not installed ({exc})") from exc


def models_for(languages: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tesseract models for these ISO languages (English always, at most MAX_LANGUAGES), and the
    languages no installed model reads."""
    installed = installed_models()
    wanted: list[str] = []
    missing: list[str] = []
    for language in [*languages, "en"]:
        models = [m for m in TESSERACT_MODELS.get(language, ()) if m in installed]
        if not models:
            missing.append(language)
        wanted.extend(m for m in models if m not in wanted)
    return tuple(wanted[:MAX_LANGUAGES]), tuple(dict.fromkeys(missing))


def text_regions(image: Image.Image) -> list[tuple[float, float, float, float]]:
    """Where strokes group the way letters do (regions wider than tall, of letter height, partly
    filled), as (left, top, right, bottom) fractions. A cheap gate (~5 ms): a false yes costs one
    tesseract call, a false no loses the text, so it is generous."""
    gray = np.asarray(_fit(grey(image), LOOK_PX))
    if gray.size == 0 or min(gray.shape) < 8 or int(gray.max()) - int(gray.min()) < 40:
        return []  # blank or nearly so
    gradient = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    threshold = max(40.0, cv2.threshold(gradient, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[0])
    strokes = (gradient >= threshold).astype(np.uint8) * 255
    joined = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    height, width = gray.shape
    regions = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (6 <= h <= height * 0.3 and w >= 1.5 * h and w <= width * 0.98):
            continue
        fill = cv2.countNonZero(strokes[y : y + h, x : x + w]) / float(w * h)
        if 0.15 <= fill <= 0.85:
            regions.append((x / width, y / height, (x + w) / width, (y + h) / height))
    return regions


def read(image: Image.Image, models: Sequence[str]) -> Reading:
    """The picture's text, line by line; an empty reading when it shows no text.

    One sparse-text pass over the part of the picture that holds text, then each text-like region it
    read nothing in once more as a single line: with a CJK and a Latin model loaded, tesseract's
    layout step sometimes takes a bold Chinese line for Latin and returns noise for all of it
    (measured: 2 of 18 Chinese banners), while the same line read on its own comes out whole."""
    started = time.perf_counter()
    regions = text_regions(image)
    if not regions:
        return Reading((), tuple(models), time.perf_counter() - started, looked_only=True)
    # Read at the size it comes (at most OCR_PX): rescaling lines to one height, tried at 30 and 40 px,
    # lost more than it won (Japanese "%" and Vietnamese fell; only some Hangul improved).
    picture = _fit(grey(image), OCR_PX)
    crop = _around(regions, picture.size, CROP_MARGIN)
    words = _tesseract_words(picture, crop, models, psm=11)
    for region in _unread(regions, words)[:MAX_REREADS]:
        again = _tesseract_words(picture, _around([region], picture.size, LINE_MARGIN), models, psm=7)
        words = [w for w in words if not (w.weak and _centre_in(w, region))]  # the line read again replaces them
        words += [w for w in again if not any(_centre_in(w, (o.left, o.top, o.right, o.bottom)) for o in words)]
    return Reading(tuple(_lines(words)), tuple(models), time.perf_counter() - started)


def _centre_in(word: _Word, box: tuple[float, float, float, float]) -> bool:
    """Whether the word's centre lies in the (left, top, right, bottom) box: the margin around a line
    read again takes in the edge of a word read already, which must not count twice."""
    return box[0] <= (word.left + word.right) / 2 <= box[2] and box[1] <= word.middle <= box[3]


def _tesseract_words(
    picture: Image.Image, crop: tuple[int, int, int, int], models: Sequence[str], psm: int
) -> list[_Word]:
    try:
        data = pytesseract.image_to_data(
            picture.crop(crop),
            lang="+".join(models),
            config=f"--psm {psm} --oem 1",
            output_type=pytesseract.Output.DICT,
            timeout=TIMEOUT_S,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(f"tesseract is not installed ({exc})") from exc
    except pytesseract.TesseractError as exc:
        raise OcrUnavailable(f"tesseract could not read this picture ({exc.message or exc.status})") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrUnavailable(f"tesseract took longer than {TIMEOUT_S} s on this picture") from exc
    return _words(data, picture.size, crop[:2])


def _unread(
    regions: list[tuple[float, float, float, float]], words: list[_Word]
) -> list[tuple[float, float, float, float]]:
    """The text-like regions no word was read in, those on one line (a comma splits a Chinese line
    into two regions) joined, largest first."""
    empty = [r for r in regions if not any(_centre_in(w, r) for w in words if not w.weak)]
    joined: list[tuple[float, float, float, float]] = []
    for region in sorted(empty):  # left to right: each joins the line it continues, if any
        height = region[3] - region[1]
        for i, line in enumerate(joined):
            if min(line[3], region[3]) - max(line[1], region[1]) > 0.5 * height and region[0] - line[2] < 2 * height:
                joined[i] = (line[0], min(line[1], region[1]), max(line[2], region[2]), max(line[3], region[3]))
                break
        else:
            joined.append(region)
    return sorted(joined, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)


def _around(
    regions: list[tuple[float, float, float, float]], size: tuple[int, int], margin: float
) -> tuple[int, int, int, int]:
    """The part of the picture that holds every text-like region, with a margin (a fraction of the
    picture's size): tesseract's time grows with the area it lays out, and a product shot's label is
    a small part of it."""
    width, height = size
    margin_x, margin_y = margin * width, margin * height
    left = max(0, int(min(r[0] for r in regions) * width - margin_x))
    top = max(0, int(min(r[1] for r in regions) * height - margin_y))
    right = min(width, int(max(r[2] for r in regions) * width + margin_x) + 1)
    bottom = min(height, int(max(r[3] for r in regions) * height + margin_y) + 1)
    return left, top, right, bottom


@dataclass(frozen=True)
class _Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def weak(self) -> bool:
        return self.confidence * 100 < MIN_WORD_CONFIDENCE


def _words(data: dict[str, list[object]], size: tuple[int, int], offset: tuple[int, int]) -> list[_Word]:
    """Tesseract's words with their boxes as fractions of the whole picture (the crop was at `offset`).
    Weak words are kept only when they are glyphs of a script written without spaces: `_lines` lets
    such a glyph in between two confident neighbours (a rare character in a bold font, "癌" read at
    28%), never on its own."""
    width, height = size
    words: list[_Word] = []
    for i, raw in enumerate(data["text"]):
        text, confidence = str(raw).strip(), max(0.0, float(str(data["conf"][i])))
        if not text or not any(_is_letter(ch) for ch in text):
            continue
        if confidence < MIN_WORD_CONFIDENCE and not all(_NO_SPACE.match(ch) for ch in text):
            continue
        left, top = int(str(data["left"][i])) + offset[0], int(str(data["top"][i])) + offset[1]
        w, h = int(str(data["width"][i])), int(str(data["height"][i]))
        words.append(_Word(text, left / width, top / height, (left + w) / width, (top + h) / height, confidence / 100))
    return words


def _is_letter(ch: str) -> bool:
    """Letters, digits, the marks Thai and Vietnamese stack on them (tesseract may return a lone tone
    mark as a word of its own) and currency signs ("39 €")."""
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Sc"


def _lines(words: list[_Word]) -> Iterable[Line]:
    """Words whose middles share a band make a line, read left to right; lines top to bottom."""
    rows: list[list[_Word]] = []
    for word in sorted((w for w in words if not w.weak), key=lambda w: w.middle):
        row = next((r for r in rows if min(w.top for w in r) <= word.middle <= max(w.bottom for w in r)), None)
        if row is None:
            rows.append([word])
        else:
            row.append(word)
    for row in rows:
        row.sort(key=lambda w: w.left)
        row[:] = _with_flanked(row, [w for w in words if w.weak])
        text = _join([w.text for w in row])
        if len(text) < 2 and not _NO_SPACE.match(text):
            continue  # a lone Latin letter is a button's corner or a stroke of texture
        left, top = min(w.left for w in row), min(w.top for w in row)
        right, bottom = max(w.right for w in row), max(w.bottom for w in row)
        box = (round(left, 4), round(top, 4), round(right - left, 4), round(bottom - top, 4))
        yield Line(text, box, round(sum(w.confidence for w in row) / len(row), 3))


def _with_flanked(row: list[_Word], weak: list[_Word]) -> list[_Word]:
    """The row with each weak glyph that sits in its band between two confident words, each no
    further than a glyph's height away."""
    top, bottom = min(w.top for w in row), max(w.bottom for w in row)
    out = list(row)
    for glyph in weak:
        if not top <= glyph.middle <= bottom:
            continue
        reach, width = glyph.bottom - glyph.top, glyph.right - glyph.left
        before = [w for w in row if glyph.left - reach <= w.right <= glyph.left + reach / 2]
        after = [w for w in row if glyph.right - reach / 2 <= w.left <= glyph.right + reach]
        taken = any(min(w.right, glyph.right) - max(w.left, glyph.left) > width / 2 for w in out)
        if before and after and not taken:  # a gap, not a place another word already fills
            out.append(glyph)
    return sorted(out, key=lambda w: w.left)


def _join(parts: list[str]) -> str:
    """Join words with spaces, except between two characters of scripts written without them."""
    out = ""
    for part in parts:
        if out and not (_NO_SPACE.match(out[-1]) and _NO_SPACE.match(part[0])):
            out += " "
        out += part
    return normalise(out)


def normalise(text: str) -> str:
    """Drop the spaces tesseract leaves inside Chinese, Japanese and Thai runs ("ล ด ร า" -> "ลดรา"),
    between their characters and digits, before a combining mark, and the doubled percent sign it
    reads in CJK fonts."""
    text = re.sub(rf"(?<={_NO_SPACE.pattern}) (?={_NO_SPACE.pattern})", "", text)
    text = re.sub(rf"(?<=\d) (?={_HAN_KANA})|(?<={_HAN_KANA}) (?=\d)", "", text)  # "2 点目" -> "2点目"
    text = re.sub(r" (?=[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])", "", text)
    return text.replace("%%", "%").strip()


def grey(image: Image.Image) -> Image.Image:
    """8-bit grey of any picture: 16-bit and float pictures scaled to their own range (Pillow's
    convert would clip them to white), transparency laid on white as it is seen."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else np.zeros_like(values)
        return Image.fromarray(scaled.astype(np.uint8), "L")
    return flatten(image).convert("L")


def _fit(image: Image.Image, max_px: int) -> Image.Image:
    if max(image.size) <= max_px:
        return image
    copy = image.copy()
    copy.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    return copy
