"""The asset page's typed views, built from domain rows without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from dam_app.assets.models import RightsRecord
from dam_app.ui.state.asset_views import Row, _rights_rows


def test_rights_rows_are_labelled_by_the_titles_declared_on_the_fields() -> None:
    record = RightsRecord(
        asset_id=uuid.uuid4(),
        creator="Ana Lima",
        licence_source="Getty Images",
        licence_end=datetime(2027, 1, 31, tzinfo=UTC),
        model_release_status="MR-YES",
    )
    assert _rights_rows(record) == [
        Row("Creator", "Ana Lima"),
        Row("Licensor", "Getty Images"),
        Row("Licence end", "2027-01-31"),
        Row("Model release", "MR-YES"),
    ]
    assert _rights_rows(None) == []
