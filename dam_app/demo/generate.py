"""Draw product shots and multilingual banners, encode a short video and write copy, all in code."""

from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from dam_app.assets.media import _FONT_CANDIDATES
from dam_app.demo.banners import CJK_FONT

PRODUCTS = [
    ("Hydra Glow Serum", "beauty", (232, 90, 120)),
    ("Velvet Matte Lipstick", "beauty", (200, 30, 50)),
    ("Aero Run Sneaker", "footwear", (40, 110, 220)),
    ("Trail Pro Backpack", "outdoor", (60, 140, 80)),
    ("Silk Sleep Mask", "home", (150, 110, 200)),
    ("Citrus Sun Cream SPF50", "beauty", (250, 180, 40)),
    ("Nordic Wool Scarf", "fashion", (120, 120, 130)),
    ("Pulse Wireless Earbuds", "electronics", (30, 30, 40)),
    ("Bamboo Bento Box", "home", (170, 140, 90)),
    ("Ocean Mist Perfume", "beauty", (70, 170, 200)),
]

BANNER_COPY = {
    "en": ("Black Friday: up to 50% off", "Shop the glow. Limited time only."),
    "zh": ("双十一狂欢 全场五折起", "限时抢购 先到先得"),
    "ja": ("ブラックフライデー 最大50%オフ", "期間限定セール開催中"),
    "es": ("Black Friday: hasta 50% de descuento", "Solo por tiempo limitado"),
    "id": ("Harbolnas: diskon hingga 50%", "Belanja sekarang, stok terbatas"),
    "de": ("Black Friday: bis zu 50% Rabatt", "Nur für kurze Zeit"),
}


@dataclass(frozen=True)
class DemoFile:
    path: Path
    market: str
    content_type: str
    phase: str
    title: str


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def product_shot(path: Path, name: str, color: tuple[int, int, int], *, size: int = 900, seed: int = 0) -> Path:
    """A studio-style packshot: soft background, a product silhouette in its colour, a label."""
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), (245, 243, 240))
    draw = ImageDraw.Draw(image)
    cx, cy = size // 2, int(size * 0.48)
    w, h = int(size * rng.uniform(0.28, 0.4)), int(size * rng.uniform(0.45, 0.6))
    draw.ellipse((cx - w, cy + h // 2 - 20, cx + w, cy + h // 2 + 30), fill=(220, 218, 214))
    draw.rounded_rectangle((cx - w // 2, cy - h // 2, cx + w // 2, cy + h // 2), radius=w // 5, fill=color)
    draw.rectangle((cx - w // 6, cy - h // 2 - h // 8, cx + w // 6, cy - h // 2), fill=tuple(c // 2 for c in color))
    draw.text((cx, int(size * 0.9)), name, fill=(40, 40, 40), font=_font(size // 22), anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, quality=90)
    return path


def with_person(path: Path, person: str) -> Path:
    """Embed "Person Shown" (IPTC Extension) and an unlimited model release (PLUS), as a studio's
    delivery would, so the picture counts as showing a person."""
    subprocess.run(
        [
            "exiftool",
            "-q",
            "-overwrite_original",
            f"-XMP-iptcExt:PersonInImage={person}",
            "-XMP-plus:ModelReleaseStatus#=http://ns.useplus.org/ldf/vocab/MR-UMR",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path


def reexport(source: Path, path: Path, *, scale: float = 0.6, quality: int = 60) -> Path:
    """A smaller, more compressed copy of a picture: different bytes, the same image."""
    with Image.open(source) as image:
        smaller = image.convert("RGB").resize((int(image.width * scale), int(image.height * scale)))
    path.parent.mkdir(parents=True, exist_ok=True)
    smaller.save(path, "JPEG", quality=quality)
    return path


def banner(path: Path, language: str, color: tuple[int, int, int], *, width: int = 1200, height: int = 628) -> Path:
    """A 1.91:1 ad banner with headline and subline in the given language."""
    headline, subline = BANNER_COPY[language]
    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(height * 0.7), width, height), fill=tuple(min(255, c + 60) for c in color))
    draw.text((60, int(height * 0.25)), headline, fill="white", font=_font(height // 10))
    draw.text((60, int(height * 0.45)), subline, fill="white", font=_font(height // 16))
    draw.rounded_rectangle((60, int(height * 0.76), 360, int(height * 0.9)), radius=20, fill="white")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
OFFER_RED = (200, 40, 60)


def offer_banner(
    offer: str = "30% OFF", *, button: tuple[int, int, int] = (255, 255, 255), size: tuple[int, int] = (1200, 628)
) -> Image.Image:
    """The seed's Double Eleven banner: a textured red ground, the headline, the offer and a button.
    Two versions differing only in `offer` ("30% OFF" -> "40% OFF") are what the compare view finds."""
    width, height = size
    image = Image.new("RGB", size, OFFER_RED)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):  # a diagonal pattern: texture for alignment to hold on to
        draw.line((x, 0, x + 200, height), fill=(210, 60, 80), width=8)
    bold = BOLD_FONT if Path(BOLD_FONT).exists() else _FONT_CANDIDATES[-1]
    draw.text((60, 150), "Double Eleven", fill="white", font=ImageFont.truetype(bold, 70))
    draw.text((60, 280), offer, fill="white", font=ImageFont.truetype(bold, 110))
    draw.rounded_rectangle((60, 470, 380, 560), radius=20, fill=button)
    draw.text((90, 490), "Shop now", fill=OFFER_RED, font=ImageFont.truetype(bold, 44))
    return image


def bilingual_banner(
    chinese: str, japanese: str, *, product: tuple[int, int, int] = (40, 90, 200), size: tuple[int, int] = (1200, 628)
) -> Image.Image:
    """One banner for China and Japan: a Chinese line above a Japanese one and the product beside
    them. Redoing the Japanese line leaves China's part unchanged (what re-approval tells CN)."""
    image = Image.new("RGB", size, (250, 248, 244))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK_FONT, 56)
    draw.text((60, 120), chinese, font=font, fill=(30, 30, 30))
    draw.text((60, 380), japanese, font=font, fill=(30, 30, 30))
    draw.rectangle((900, 200, 1100, 450), fill=product)
    return image


def short_video(
    path: Path,
    *,
    seconds: float = 2.0,
    fps: int = 12,
    size: tuple[int, int] = (320, 568),
    color: tuple[int, int, int] = (232, 90, 120),
) -> Path:
    """A 9:16 clip with a moving product block, encoded with the ffmpeg that PyAV bundles."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        frames = int(seconds * fps)
        for i in range(frames):
            image = Image.new("RGB", size, (250, 240, 230))
            draw = ImageDraw.Draw(image)
            x = int((size[0] - 120) * i / max(1, frames - 1))
            draw.rounded_rectangle((x, size[1] // 3, x + 120, size[1] // 3 + 200), radius=24, fill=color)
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def draft_with_claims(path: Path) -> Path:
    """A Chinese draft as agencies send them: an absolute claim China's Advertising Law forbids
    (全网最低价, 顶级) and a health claim with no study behind it, for the Compliance panel to find."""
    text = (
        "# 真丝眼罩 — 双十一文案初稿\n\n"
        "标题：全网最低价！顶级桑蚕丝眼罩\n\n"  # noqa: RUF001  (Chinese punctuation, as written)
        "正文：临床证明改善睡眠，第一次使用即可感受柔滑触感。最佳使用方法：睡前佩戴。\n"  # noqa: RUF001
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_document(path: Path, product: str, language: str = "en") -> Path:
    headline, subline = BANNER_COPY.get(language, BANNER_COPY["en"])
    text = (
        f"# {product} — campaign copy\n\n"
        f"Headline: {headline}\n\nSubline: {subline}\n\n"
        f"Body: Meet {product}, made for every day of the festival season. "
        "Free shipping on orders over 49. Offer valid while stocks last.\n\n"
        "#ad #sponsored\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
