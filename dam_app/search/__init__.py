"""Finding assets: hybrid semantic + full-text search, query understanding, facets."""
