"""Bad files are recognised by content, with a precise reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from dam_app.assets.sniff import RejectedFile, inspect_file

LIMIT = 50_000_000


def _inspect(path: Path, name: str | None = None):
    return inspect_file(path, name or path.name, max_image_pixels=LIMIT)


def test_accepts_real_image_and_reads_its_size(sample_files: dict[str, Path]) -> None:
    result = _inspect(sample_files["jpeg"])
    assert (result.mime, result.media_kind, result.width, result.height) == ("image/jpeg", "image", 900, 900)
    assert result.name_mismatch is None


def test_extension_that_lies_is_overruled_by_content(sample_files: dict[str, Path], tmp_path: Path) -> None:
    liar = tmp_path / "photo.jpg"
    liar.write_bytes(sample_files["png"].read_bytes())
    result = _inspect(liar)
    assert result.mime == "image/png"
    assert result.name_mismatch == "the name says image/jpeg but the content is image/png"


def test_executable_named_as_image_is_rejected(tmp_path: Path) -> None:
    fake = tmp_path / "banner.jpg"
    fake.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    with pytest.raises(RejectedFile, match=r"unsupported content type .*the name claims image/jpeg") as exc:
        _inspect(fake)
    assert exc.value.reason == "unsupported_type"


def test_html_and_svg_are_rejected_as_markup(tmp_path: Path) -> None:
    page = tmp_path / "logo.png"
    page.write_text("<svg onload='alert(1)'></svg>")
    with pytest.raises(RejectedFile, match="markup"):
        _inspect(page)


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.touch()
    with pytest.raises(RejectedFile, match=r"empty \(0 bytes\)"):
        _inspect(empty)


def test_truncated_jpeg(sample_files: dict[str, Path], tmp_path: Path) -> None:
    data = sample_files["jpeg"].read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(RejectedFile, match="corrupt or truncated") as exc:
        _inspect(cut)
    assert exc.value.reason == "corrupt_image"


def test_corrupt_png(sample_files: dict[str, Path], tmp_path: Path) -> None:
    data = bytearray(sample_files["png"].read_bytes())
    data[100:400] = b"\x00" * 300
    broken = tmp_path / "broken.png"
    broken.write_bytes(bytes(data))
    with pytest.raises(RejectedFile, match="corrupt or truncated"):
        _inspect(broken)


def test_image_above_the_configured_pixel_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    Image.new("1", (8_000, 8_000)).save(big)  # 64 MP of zeros compresses to a few KB
    with pytest.raises(RejectedFile, match=r"8000x8000 = 64 megapixels, above the limit of 50") as exc:
        _inspect(big)
    assert exc.value.reason == "too_many_pixels"


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)  # 400 MP in ~50 KB
    assert bomb.stat().st_size < 200_000
    with pytest.raises(RejectedFile, match="decompression bomb") as exc:
        _inspect(bomb)
    assert exc.value.reason == "too_many_pixels"


def test_video_is_checked_by_decoding_a_frame(sample_files: dict[str, Path], tmp_path: Path) -> None:
    assert _inspect(sample_files["video"]).media_kind == "video"
    data = sample_files["video"].read_bytes()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(data[:64] + b"\x00" * 2000)
    with pytest.raises(RejectedFile) as exc:
        _inspect(broken)
    assert exc.value.reason in {"corrupt_video", "unsupported_type"}


def test_text_and_docx_copy_are_documents(sample_files: dict[str, Path], tmp_path: Path) -> None:
    assert _inspect(sample_files["copy"]).mime == "text/markdown"
    docx = tmp_path / "copy.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    docx.write_bytes(buffer.getvalue())
    assert _inspect(docx).media_kind == "document"


def test_binary_garbage_is_rejected(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(RejectedFile, match="unsupported content type"):
        _inspect(junk)
