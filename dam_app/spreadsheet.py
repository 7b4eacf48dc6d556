"""CSV lines that spreadsheets open safely: UTF-8 with a byte-order mark (Excel otherwise reads
emoji, Chinese or Arabic as mojibake), and any cell a spreadsheet would run as a formula quoted."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

BOM = "\ufeff"  # the first characters of a CSV download, so Excel takes it for UTF-8
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_line(cells: Sequence[str]) -> str:
    """One CSV record; a cell starting like a formula (=HYPERLINK(...)) gets a leading quote."""
    out = io.StringIO()
    csv.writer(out).writerow(["'" + c if c[:1] in _FORMULA_STARTS else c for c in cells])
    return out.getvalue()
