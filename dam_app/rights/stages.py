"""The rights domain's processing stage: judge the asset once its new version has been checked
against the rule packs (the verdict reads the findings)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dam_app.assets.models import Version
from dam_app.assets.stages import on_version
from dam_app.processing.stages import Stage
from dam_app.review import stages as review_stages
from dam_app.rights import verdicts

STAGE = "verdict"


def _judge(session: Session, version: Version, _source: Path) -> None:
    verdicts.refresh(session=session, asset_id=version.asset_id)


STAGES = (Stage(STAGE, on_version(_judge), follows=review_stages.STAGE),)
