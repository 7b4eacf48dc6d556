"""Reading what people type into the pages' forms (pure, fine on the event loop)."""

from __future__ import annotations

from datetime import datetime

from dam_app.fields import day_or_none


def typed_day(text: str, what: str) -> datetime | None:
    """A date field of a form: YYYY-MM-DD, or empty for none (Invalid otherwise)."""
    return day_or_none(text, what)
