from __future__ import annotations

import pytest

from dam_app.assets.filenames import safe_filename, title_from_filename


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("/abs/path/banner.png", "banner.png"),
        ("..", "unnamed"),
        ("", "unnamed"),
        ("双十一_主视觉_v3.png", "双十一_主视觉_v3.png"),
        ("حملة_الجمعة.jpg", "حملة_الجمعة.jpg"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("nul\x00byte.jpg", "nulbyte.jpg"),
    ],
)
def test_safe_filename(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected


def test_long_names_are_cut_to_255_bytes_keeping_the_extension() -> None:
    name = safe_filename("広告" * 200 + ".jpeg")
    assert len(name.encode()) <= 255
    assert name.endswith(".jpeg")


def test_title_from_filename() -> None:
    assert title_from_filename("red_sneaker-hero_v3.jpg") == "red sneaker hero v3"
