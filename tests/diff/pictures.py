"""Pictures for the comparison tests: the seed's banner ("30% OFF" -> "40% OFF", from the demo's
generator) and the ways a designer's re-export changes bytes without changing the picture."""

from __future__ import annotations

import io

from PIL import Image

from dam_app.demo.generate import offer_banner as banner

__all__ = ["banner", "encoded", "recompressed"]


def recompressed(image: Image.Image, quality: int = 60) -> Image.Image:
    return Image.open(io.BytesIO(encoded(image, "JPEG", quality=quality))).convert("RGB")


def encoded(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
