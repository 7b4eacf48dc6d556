"""The stage registry type: each domain declares its stages (name, what runs, what it follows, which
queue), and one composition module (`dam_app.stages`) gathers them into the pipeline's order.

Processing knows only this type, never a domain: adding OCR or a diff is one `Stage(...)` in its
domain and one line in the composition module (immich's job table with `onDone`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

# The queue most work runs on; a stage may name another (heavy model work) and the worker listens to all.
from dam_app.worker.queues import DEFAULT_QUEUE, HEAVY_QUEUE

__all__ = ["DEFAULT_QUEUE", "HEAVY_QUEUE", "Stage", "StageInput", "StageRegistry"]


@dataclass(frozen=True)
class StageInput:
    """What a stage works on: a version of an asset, its original file, and the job's session."""

    session: Session
    asset_id: uuid.UUID
    version_id: uuid.UUID
    source: Path


@dataclass(frozen=True)
class Stage:
    """One step of processing a version; idempotent, skipped once it has succeeded."""

    name: str
    run: Callable[[StageInput], None]
    follows: str | None = None
    queue: str = DEFAULT_QUEUE


class StageRegistry:
    """Stages in the order they run: each after the one it follows, ties in declaration order."""

    def __init__(self, stages: Iterable[Stage]) -> None:
        declared = list(stages)
        by_name: dict[str, Stage] = {}
        for stage in declared:
            if stage.name in by_name:
                raise ValueError(f"stage {stage.name!r} is declared twice")
            by_name[stage.name] = stage
        for stage in declared:
            if stage.follows is not None and stage.follows not in by_name:
                raise ValueError(f"stage {stage.name!r} follows {stage.follows!r}, which no domain declares")
        self._stages = _ordered(declared)
        self._by_name = by_name

    @property
    def stages(self) -> tuple[Stage, ...]:
        return self._stages

    def names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self._stages)

    def get(self, name: str) -> Stage | None:
        return self._by_name.get(name)

    def with_followers(self, names: Iterable[str]) -> tuple[str, ...]:
        """These stages and every stage after them in the chain, in order: re-running OCR must run
        the index again, or the new text would never be searchable."""
        wanted = set(names)
        for stage in self._stages:  # in order, so a follower's follower is reached
            if stage.follows in wanted:
                wanted.add(stage.name)
        return tuple(s.name for s in self._stages if s.name in wanted)

    def queues(self) -> tuple[str, ...]:
        """Every queue a stage runs on, the default one first: the worker listens to all of them."""
        return tuple(dict.fromkeys([DEFAULT_QUEUE, *(stage.queue for stage in self._stages)]))


def _ordered(declared: list[Stage]) -> tuple[Stage, ...]:
    """Topological order (Kahn), picking among ready stages the one declared first."""
    done: list[Stage] = []
    placed: set[str] = set()
    waiting = list(declared)
    while waiting:
        ready = next((s for s in waiting if s.follows is None or s.follows in placed), None)
        if ready is None:
            raise ValueError(f"stages follow each other in a circle: {', '.join(s.name for s in waiting)}")
        waiting.remove(ready)
        done.append(ready)
        placed.add(ready.name)
    return tuple(done)
