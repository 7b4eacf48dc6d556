"""Import a folder tree: classify from options and folder names, resume after interruption.

Each file is its own transaction, so one bad file never undoes another. A journal of finished
files (path, size, mtime) lets a re-run skip them without re-reading their bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from dam_app.accounts.principal import Principal
from dam_app.assets import classify
from dam_app.assets.ingest import IngestFields, IngestResult, Outcome, ingest_file
from dam_app.catalog import service as catalog_service
from dam_app.config import get_settings
from dam_app.db import session_scope

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class ImportSummary:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[IngestResult] = field(default_factory=list)
    resumed: int = 0

    def add(self, result: IngestResult) -> None:
        self.counts[result.outcome] += 1
        if result.outcome == Outcome.FAILED:
            self.failures.append(result)

    @property
    def imported(self) -> int:
        return self.counts[Outcome.IMPORTED]

    @property
    def duplicates(self) -> int:
        return self.counts[Outcome.DUPLICATE]

    @property
    def failed(self) -> int:
        return self.counts[Outcome.FAILED]


def discover(root: Path) -> list[Path]:
    """Every entry under root that is not a folder (or root itself), sorted; hidden files skipped.

    Links and special files are listed too, so that the summary can say why they were not imported.
    """
    if not root.is_dir():
        return [root]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / n for n in sorted(filenames) if not n.startswith(".") and n not in SKIP_NAMES)
    return found


def _not_importable(path: Path) -> IngestResult | None:
    if path.is_symlink():
        return IngestResult(
            path.name,
            Outcome.FAILED,
            "symbolic link not followed (it could point outside the import folder)",
            "symlink",
        )
    if not path.is_file():
        return IngestResult(path.name, Outcome.FAILED, "not a regular file", "not_a_file")
    if not os.access(path, os.R_OK):
        return IngestResult(path.name, Outcome.FAILED, "the file cannot be read: permission denied", "unreadable")
    return None


def import_tree(
    *,
    principal: Principal,
    root: Path,
    options: classify.Classification,
    on_result: Callable[[Path, IngestResult | None], None] | None = None,
) -> ImportSummary:
    root = root.resolve()
    summary = ImportSummary()
    journal = _Journal(root)
    with session_scope() as session:
        lexicon = catalog_service.lexicon(session=session)
    for path in discover(root):
        relative = PurePath(path.relative_to(root)) if root.is_dir() else PurePath(path.name)
        if journal.done(path):
            summary.resumed += 1
            if on_result:
                on_result(path, None)
            continue
        from_folders = classify.from_folder_path(lexicon=lexicon, relative_path=relative)
        fields = IngestFields(classification=options.merged_over(from_folders), source_path=str(relative))
        result = _not_importable(path)
        if result is None:
            with session_scope() as session:
                result = ingest_file(
                    session=session,
                    principal=principal,
                    path=path,
                    filename=path.name,
                    fields=fields,
                    lexicon=lexicon,
                )
        summary.add(result)
        if result.outcome != Outcome.FAILED:
            journal.mark(path)
        if on_result:
            on_result(path, result)
    return summary


class _Journal:
    """Append-only record of finished files for one import root, under var/imports/."""

    def __init__(self, root: Path) -> None:
        key = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        self.path = get_settings().var_dir / "imports" / f"{key}.jsonl"
        self._done: set[tuple[str, int, int]] = set(self._read())

    def _read(self) -> Iterator[tuple[str, int, int]]:
        if not self.path.exists():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                yield entry["p"], entry["s"], entry["m"]
            except (ValueError, KeyError):
                continue  # a line cut by a crash is simply redone

    @staticmethod
    def _key(path: Path) -> tuple[str, int, int] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return str(path), stat.st_size, stat.st_mtime_ns

    def done(self, path: Path) -> bool:
        key = self._key(path)
        return key is not None and key in self._done

    def mark(self, path: Path) -> None:
        key = self._key(path)
        if key is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"p": key[0], "s": key[1], "m": key[2]}) + "\n")
        self._done.add(key)
