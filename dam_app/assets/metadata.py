"""Embedded IPTC/XMP/EXIF metadata, read with ExifTool and reconciled into one set of facts.

Precedence when the standards disagree follows the MWG guidance in its simplest reading: XMP first,
then IPTC-IIM, then EXIF. PLUS release statuses keep their vocabulary codes (MR-NON, PR-UPR, ...).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import select
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Field

from dam_app.assets.models import RightsTerms

_SKIP_GROUPS = ("System:", "ExifTool:", "Composite:", "File:")
_MAX_VALUE_CHARS = 2000

_TITLE = ("XMP-dc:Title", "IPTC:ObjectName", "XMP-photoshop:Headline", "IPTC:Headline")
_DESCRIPTION = ("XMP-dc:Description", "IPTC:Caption-Abstract", "IFD0:ImageDescription")
_KEYWORDS = ("XMP-dc:Subject", "IPTC:Keywords")
_CREATOR = ("XMP-dc:Creator", "IPTC:By-line", "IFD0:Artist")
_COPYRIGHT = ("XMP-dc:Rights", "IPTC:CopyrightNotice", "IFD0:Copyright")
_CREDIT = ("XMP-photoshop:Credit", "IPTC:Credit")
_USAGE = ("XMP-xmpRights:UsageTerms",)
_PEOPLE = ("XMP-iptcExt:PersonInImage",)
_RELEASED_MODELS = {"MR-UMR", "MR-LMR"}  # PLUS: unlimited / limited model releases exist for people shown
_PEOPLE_KEYWORDS = {"person", "people", "model", "woman", "women", "man", "men", "girl", "boy", "child", "children"}


class EmbeddedFacts(RightsTerms):
    """What a file says about itself: the rights terms, plus what search and tagging read."""

    title: str | None = None
    description: str | None = None
    keywords: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)  # IPTC Extension "Person Shown"

    @property
    def shows_person(self) -> str | None:
        """Why the file says a person is in the picture (for the tag's evidence), or None."""
        if self.people:
            return "IPTC person shown: " + ", ".join(self.people[:5])
        if self.model_release_status in _RELEASED_MODELS:
            return f"PLUS model release {self.model_release_status}"
        named = sorted({k.lower() for k in self.keywords} & _PEOPLE_KEYWORDS)
        return "keyword " + ", ".join(named) if named else None

    @property
    def has_rights(self) -> bool:
        return any(
            (
                self.creator,
                self.copyright_notice,
                self.credit_line,
                self.usage_terms,
                self.licence_id,
                self.licence_end,
                self.model_release_status,
                self.property_release_status,
            )
        )


class ExifToolError(RuntimeError):
    """ExifTool did not answer as expected; the job fails and is retried with a fresh process."""


class _ExifTool:
    """One long-lived `exiftool -stay_open` process (perl start-up is ~150 ms per call otherwise).

    Started in a worker's parent, it serves each forked job in turn. Liveness is checked with
    `os.kill(pid, 0)` because a forked job cannot `poll()` its parent's child. Each request ends with a
    random `-executeN` marker, so a reply is never mistaken for another request's.
    """

    ARGS = ("-G1", "-n", "-struct", "-a", "-j")
    TIMEOUT_S = 60.0

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def _alive(self) -> bool:
        if self._proc is None:
            return False
        try:
            os.kill(self._proc.pid, 0)
        except OSError:
            return False
        return True

    def _start(self) -> subprocess.Popen[bytes]:
        self._proc = subprocess.Popen(
            ["exiftool", "-stay_open", "True", "-@", "-", "-common_args", *self.ARGS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        atexit.register(self.close)
        return self._proc

    def start(self) -> None:
        with self._lock:
            if not self._alive():
                self._start()

    def read(self, path: Path) -> dict[str, Any]:
        if not path.is_file():
            raise FileNotFoundError(f"stored original is missing: {path.name}")
        with self._lock:
            try:
                return self._request(path)
            except (BrokenPipeError, ExifToolError):
                self._discard()
                return self._request(path)  # one retry on a fresh process

    def _request(self, path: Path) -> dict[str, Any]:
        proc = self._proc if self._proc is not None and self._alive() else self._start()
        assert proc.stdin is not None and proc.stdout is not None
        marker = secrets.randbelow(10**9)
        proc.stdin.write(f"{path}\n-execute{marker}\n".encode())
        proc.stdin.flush()
        ready = f"{{ready{marker}}}".encode()
        buffer = b""
        deadline = time.monotonic() + self.TIMEOUT_S
        fd = proc.stdout.fileno()
        while not buffer.rstrip().endswith(ready):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise ExifToolError(f"exiftool gave no answer within {self.TIMEOUT_S:.0f} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise ExifToolError("exiftool exited")
            buffer += chunk
        payload = buffer.rstrip()[: -len(ready)].strip()
        if not payload:
            raise ExifToolError("exiftool could not read the file")
        try:
            parsed = json.loads(payload)
        except ValueError as exc:
            raise ExifToolError(f"unparsable exiftool reply: {exc}") from exc
        return dict(parsed[0]) if parsed else {}

    def _discard(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(OSError):
                os.kill(self._proc.pid, signal.SIGKILL)
        self._proc = None

    def close(self) -> None:
        if self._proc is not None and self._alive() and self._proc.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                self._proc.stdin.write(b"-stay_open\nFalse\n")
                self._proc.stdin.flush()
        self._proc = None


_exiftool = _ExifTool()


def start_exiftool() -> None:
    """Start ExifTool once in a worker's parent, before jobs fork from it."""
    _exiftool.start()


def read_embedded(path: Path) -> dict[str, Any]:
    """Every embedded tag worth keeping, grouped as `Group:Tag`, values trimmed to a sane size."""
    raw = _exiftool.read(path)
    kept: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "SourceFile" or key.startswith(_SKIP_GROUPS):
            continue
        if isinstance(value, str) and (value.startswith("(Binary data") or len(value) > _MAX_VALUE_CHARS):
            continue
        kept[key] = value
    return kept


def interpret(tags: dict[str, Any]) -> EmbeddedFacts:
    licensor = tags.get("XMP-plus:Licensor")
    licensor_name = None
    if isinstance(licensor, list) and licensor and isinstance(licensor[0], dict):
        licensor_name = licensor[0].get("LicensorName")
    return EmbeddedFacts(
        title=_first_text(tags, _TITLE),
        description=_first_text(tags, _DESCRIPTION),
        keywords=_first_list(tags, _KEYWORDS),
        creator=_first_text(tags, _CREATOR),
        copyright_notice=_first_text(tags, _COPYRIGHT),
        credit_line=_first_text(tags, _CREDIT),
        usage_terms=_first_text(tags, _USAGE),
        licence_id=_first_text(tags, ("XMP-plus:LicenseID",)),
        licence_source=licensor_name,
        licence_start=_date(tags.get("XMP-plus:LicenseStartDate")),
        licence_end=_date(tags.get("XMP-plus:LicenseEndDate")) or _date(tags.get("XMP-plus:LicenseExpirationDate")),
        model_release_status=_plus_code(tags.get("XMP-plus:ModelReleaseStatus")),
        property_release_status=_plus_code(tags.get("XMP-plus:PropertyReleaseStatus")),
        people=_first_list(tags, _PEOPLE),
    )


def _first_text(tags: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = tags.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if str(v).strip())
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _first_list(tags: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    for key in keys:
        value = tags.get(key)
        if value is None:
            continue
        items = value if isinstance(value, list) else str(value).split(",")
        cleaned = [str(v).strip() for v in items if str(v).strip()]
        if cleaned:
            return list(dict.fromkeys(cleaned))
    return []


def _plus_code(value: Any) -> str | None:
    """'http://ns.useplus.org/ldf/vocab/MR-NON' -> 'MR-NON'."""
    if not value:
        return None
    return str(value).rstrip("/").rsplit("/", 1)[-1]


def _date(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value).strip()
    for fmt in ("%Y:%m:%d %H:%M:%S%z", "%Y:%m:%d %H:%M:%S", "%Y:%m:%d", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
