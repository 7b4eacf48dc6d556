"""The search domain's processing stages: the visual signature, then (once the picture's text is
read) the search document."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from dam_app.assets.models import Version
from dam_app.assets.stages import on_version
from dam_app.processing.stages import Stage, StageInput
from dam_app.search import documents, signatures


def _visual(session: Session, version: Version, _source: Path) -> None:
    signatures.store_signature(session=session, version=version)


def _index(job: StageInput) -> None:
    documents.index_asset(session=job.session, asset_id=job.asset_id)


# Colour and layout descriptors are cheap: the visual stage stays on the default queue. A CLIP-type
# image model would declare queue="heavy" here, and the worker would listen to it.
STAGES = (
    Stage("visual", on_version(_visual), follows="renditions"),
    Stage("index", _index, follows="ocr"),  # the text read from the picture is searchable
)
