"""The comments domain's processing stage: carry open pins onto each new version once its preview
exists (the alignment compares previews)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dam_app.assets.models import Version
from dam_app.assets.stages import on_version
from dam_app.comments import pins
from dam_app.processing.stages import Stage

STAGE = "pins"


def _carry(session: Session, version: Version, _source: Path) -> None:
    pins.carry_to(session, version)


STAGES = (Stage(STAGE, on_version(_carry), follows="renditions"),)
