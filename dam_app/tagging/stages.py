"""The tagging domain's processing stages: text in the picture (OCR), on the heavy queue so that a
library of banners being read never holds up the renditions of a fresh upload."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dam_app.assets.models import Version
from dam_app.assets.stages import on_version
from dam_app.processing.stages import HEAVY_QUEUE, Stage
from dam_app.tagging import image_text


def _ocr(session: Session, version: Version, _source: Path) -> None:
    image_text.read_version(session=session, version=version)


STAGES = (Stage(image_text.STAGE, on_version(_ocr), follows="visual", queue=HEAVY_QUEUE),)
