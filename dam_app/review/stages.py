"""The review domain's processing stages: check each new version against the rule packs once the
text in its picture has been read (a version without pixels is checked on its words alone), and ask
for its comparison with each earlier version a market approved (review/since.py)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dam_app.assets.models import Version
from dam_app.assets.stages import on_version
from dam_app.processing.stages import Stage
from dam_app.review import compliance, since
from dam_app.tagging import image_text

STAGE = "compliance"
SINCE_STAGE = "since-approved"


def _check(session: Session, version: Version, _source: Path) -> None:
    compliance.check_version(session=session, version_id=version.id)


def _compare(session: Session, version: Version, _source: Path) -> None:
    since.request_comparisons(session, version)


STAGES = (
    Stage(STAGE, on_version(_check), follows=image_text.STAGE),
    Stage(SINCE_STAGE, on_version(_compare), follows=image_text.STAGE),
)
