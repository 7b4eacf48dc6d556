"""The language of copy and image text, narrowed to the languages the asset's markets write."""

from __future__ import annotations

import pytest

from dam_app.tagging import language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("双十一狂欢 全场五折起", "zh"),
        ("ブラックフライデー 最大50%オフ", "ja"),
        ("블랙프라이데이 최대 40% 할인", "ko"),
        ("ลดราคา 50% วันนี้เท่านั้น", "th"),
        ("Giảm giá 40% hôm nay", "vi"),
        ("Belanja sekarang, stok terbatas", "id"),
        ("Kostenloser Versand für alle Bestellungen", "de"),
    ],
)
def test_plain_languages(text: str, code: str) -> None:
    detected = language.detect(text)
    assert detected is not None and detected.code == code


def test_the_markets_languages_settle_short_copy() -> None:
    assert language.detect("Double Eleven 40% OFF") is None  # too unsure among all fourteen
    detected = language.detect("Double Eleven 40% OFF", among=["en", "es", "fr"])
    assert detected is not None and detected.code == "en" and detected.name == "English"


def test_a_plain_language_the_markets_do_not_write_is_still_named() -> None:
    detected = language.detect("ブラックフライデー最大オフ", among=["en", "es"])
    assert detected is not None and detected.code == "ja"  # a Japanese banner filed for North America


def test_too_little_text_says_nothing() -> None:
    assert language.detect("40% OFF") is None and language.detect("") is None
