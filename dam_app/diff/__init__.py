"""Comparing two versions: pixels (aligned first), metadata, copy text and video, computed by a job
and cached per pair of versions."""
