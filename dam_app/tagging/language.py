"""The language a text is written in (lingua, every model preloaded from the wheel: ~0.1-2 ms a short
text), limited to the languages the markets use so that "SALE" is not read as Afrikaans."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = {
    "en": Language.ENGLISH,
    "zh": Language.CHINESE,
    "ja": Language.JAPANESE,
    "ko": Language.KOREAN,
    "de": Language.GERMAN,
    "fr": Language.FRENCH,
    "es": Language.SPANISH,
    "pt": Language.PORTUGUESE,
    "it": Language.ITALIAN,
    "id": Language.INDONESIAN,
    "ms": Language.MALAY,
    "vi": Language.VIETNAMESE,
    "th": Language.THAI,
    "ar": Language.ARABIC,
}
NAMES = {
    "en": "English",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "id": "Indonesian",
    "ms": "Malay",
    "vi": "Vietnamese",
    "th": "Thai",
    "ar": "Arabic",
}
_CODES = {language: code for code, language in LANGUAGES.items()}
MIN_CONFIDENCE = 0.5
PLAIN = 0.9  # this sure among every language: the markets' languages are not asked
MIN_LETTERS = 4  # "OFF" alone says nothing about a language
_lock = threading.Lock()


@dataclass(frozen=True)
class Detected:
    code: str  # ISO 639-1
    confidence: float

    @property
    def name(self) -> str:
        return NAMES[self.code]


@functools.cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES.values()).with_preloaded_language_models().build()


def warm_for_forking() -> None:
    """Load every model in the worker's parent (~1.4 s), so each forked job starts with them."""
    with _lock:
        _detector()


def detect(text: str, *, among: Iterable[str] = ()) -> Detected | None:
    """The most likely language, or None when the text is too short or too mixed to say. `among`
    (the languages the asset's markets write) narrows the choice: "Double Eleven / 40% OFF" is
    unsure among fourteen languages and plainly English among English, Spanish and French."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    values = {_CODES[v.language]: v.value for v in _detector().compute_language_confidence_values(text)}
    best = max(values.items(), key=lambda item: item[1], default=None)
    if best is not None and best[1] >= PLAIN:
        return Detected(best[0], round(best[1], 3))  # plain even among all: a Japanese banner filed for NA
    candidates = {code: values.get(code, 0.0) for code in among if code in LANGUAGES} or values
    total = sum(candidates.values())
    if total <= 0:
        return None
    code, value = max(candidates.items(), key=lambda item: item[1])
    confidence = value / total
    return Detected(code, round(confidence, 3)) if confidence >= MIN_CONFIDENCE else None
