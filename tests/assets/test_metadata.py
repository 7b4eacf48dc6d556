"""Embedded metadata: standards precedence, PLUS codes, and a robust long-lived ExifTool."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from dam_app.assets import metadata
from tests.jobs.test_pipeline import _tag_with_iptc


def test_xmp_wins_over_iptc_wins_over_exif_and_plus_codes_are_short() -> None:
    facts = metadata.interpret(
        {
            "IPTC:ObjectName": "iptc title",
            "IFD0:ImageDescription": "exif caption",
            "IPTC:Caption-Abstract": "iptc caption",
            "IPTC:Keywords": ["sale", "red"],
            "IFD0:Artist": "exif artist",
            "XMP-plus:PropertyReleaseStatus": "http://ns.useplus.org/ldf/vocab/PR-UPR",
            "XMP-plus:LicenseStartDate": "2026:01:15",
            "XMP-plus:Licensor": [{"LicensorName": "Getty Images"}],
        }
    )
    assert (facts.title, facts.description, facts.keywords) == ("iptc title", "iptc caption", ["sale", "red"])
    assert facts.creator == "exif artist" and facts.property_release_status == "PR-UPR"
    assert facts.licence_start is not None and facts.licence_start.isoformat() == "2026-01-15T00:00:00+00:00"
    assert facts.licence_source == "Getty Images" and facts.has_rights
    assert not metadata.interpret({"XMP-dc:Title": "  "}).title


def test_reader_survives_a_killed_exiftool_and_refuses_missing_files(sample_files: dict[str, Path]) -> None:
    _tag_with_iptc(sample_files["jpeg"])
    first = metadata.read_embedded(sample_files["jpeg"])
    assert first["XMP-dc:Title"] == "Aero Run hero shot"
    assert not any(key.startswith(("System:", "File:")) for key in first)
    proc = metadata._exiftool._proc
    assert proc is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert metadata.read_embedded(sample_files["jpeg"])["XMP-dc:Creator"] == ["Li Wei"]
    with pytest.raises(FileNotFoundError, match="stored original is missing"):
        metadata.read_embedded(sample_files["jpeg"].with_name("gone.jpg"))
