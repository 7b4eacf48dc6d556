"""Every processing stage, gathered once so the pipeline, ingest, the sweeper and the worker see
the whole registry (as `dam_app.models` gathers every table). A new stage is declared in its
domain's `stages.py` and listed here."""

from dam_app.assets import stages as assets_stages
from dam_app.comments import stages as comments_stages
from dam_app.processing.stages import StageRegistry
from dam_app.review import stages as review_stages
from dam_app.rights import stages as rights_stages
from dam_app.search import stages as search_stages
from dam_app.tagging import stages as tagging_stages

REGISTRY = StageRegistry(
    [
        *assets_stages.STAGES,
        *search_stages.STAGES,
        *tagging_stages.STAGES,
        *review_stages.STAGES,
        *rights_stages.STAGES,
        *comments_stages.STAGES,
    ]
)
