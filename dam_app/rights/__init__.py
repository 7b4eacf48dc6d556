"""Rights records and the one verdict per version and market: usable, usable with conditions, blocked."""
