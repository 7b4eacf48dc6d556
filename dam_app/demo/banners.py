"""Banners with known text in the markets' languages and scripts, drawn with the fonts Debian ships:
OCR is measured against the answer (tests/tagging, benchmarks/tagging.py)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
THAI_FONT = "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf"


@dataclass(frozen=True)
class Copy:
    language: str  # ISO 639-1, the language the OCR is told to expect (the asset's market writes it)
    headline: str
    subline: str
    font: str


COPY = (
    Copy("en", "Black Friday 40% OFF", "Free shipping on orders over $49.99", LATIN_FONT),
    Copy("de", "Nur heute: 30% Rabatt", "Kostenloser Versand ab 29,99 €", LATIN_FONT),
    Copy("fr", "Soldes d'hiver -50%", "Livraison offerte dès 39 €", LATIN_FONT),
    Copy("es", "Hasta 50% de descuento", "Envío gratis en pedidos de más de 30 €", LATIN_FONT),
    Copy("pt", "Black Friday até 60% de desconto", "Frete grátis acima de R$ 99", LATIN_FONT),
    Copy("id", "Harbolnas diskon hingga 70%", "Gratis ongkir belanja Rp 99.000", LATIN_FONT),
    Copy("vi", "Giảm giá 40% hôm nay", "Miễn phí vận chuyển toàn quốc", LATIN_FONT),
    Copy("zh", "双十一狂欢 满300减50", "全场包邮 限时抢购", CJK_FONT),
    Copy("zh-Hant", "雙十一限定 全館五折", "會員專屬 滿千送百", CJK_FONT),
    Copy("ja", "ブラックフライデー 最大50%オフ", "2点目半額 期間限定", CJK_FONT),
    Copy("ko", "블랙프라이데이 최대 40% 할인", "오늘만 무료 배송", CJK_FONT),
    Copy("th", "ลดราคา 50% วันนี้เท่านั้น", "ส่งฟรีทั่วประเทศ", THAI_FONT),
)

# (background, ink): dark on light, light on dark, light on a saturated brand colour
PALETTES = (((250, 248, 244), (30, 30, 30)), ((24, 28, 40), (250, 250, 250)), ((200, 40, 60), (255, 255, 255)))


def banner(
    copy: Copy, palette: tuple[tuple[int, int, int], tuple[int, int, int]], size: int, *, shade: int = 0
) -> Image.Image:
    """A 1200 x 628 banner: headline at up to `size` px (smaller when it would not fit), subline at
    60%; `shade` darkens the background a little, so a library of them holds no two identical files."""
    background, ink = palette
    image = Image.new("RGB", (1200, 628), tuple(max(0, c - shade % 24) for c in background))
    draw = ImageDraw.Draw(image)
    while ImageFont.truetype(copy.font, size).getlength(copy.headline) > 1080:
        size -= 4
    draw.text((60, 160), copy.headline, fill=ink, font=ImageFont.truetype(copy.font, size))
    draw.text((60, 160 + int(size * 1.8)), copy.subline, fill=ink, font=ImageFont.truetype(copy.font, int(size * 0.6)))
    return image


def expected_text(copy: Copy) -> str:
    return f"{copy.headline}\n{copy.subline}"


def character_accuracy(expected: str, read: str) -> float:
    """1 - edit distance / length, ignoring whitespace (CJK and Thai are written without it)."""
    a, b = "".join(expected.split()), "".join(read.split())
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return max(0.0, 1 - previous[-1] / max(1, len(a)))
