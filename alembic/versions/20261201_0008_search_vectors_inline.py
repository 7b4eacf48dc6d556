"""search_documents keeps its embedding inside the row

A document row (words, lexemes, filter columns and a 1,540-byte vector) is about 2.2 kB, just past
PostgreSQL's 2 kB toast threshold, and pgvector's type is stored EXTERNAL: every vector went to the
TOAST table (1.45 GB of 2.1 GB at 1M documents). An exact scan of a filtered set and each row an
HNSW walk returned then paid a TOAST index probe and a second heap page per row. With
toast_tuple_target at 4080 bytes a typical row stays whole in its page, and the vector is stored
MAIN, so a row with a long OCR text moves that text out of line before it moves its vector.

The table is rewritten once so existing vectors come inline (the type change with a USING
expression forces the rewrite; its indexes are rebuilt): seconds below 100k rows, about ten
minutes at a million.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_TARGET = 4080  # half a page: at least two documents per 8 kB page


def upgrade() -> None:
    op.execute("SET LOCAL maintenance_work_mem = '2GB'")  # the HNSW rebuild: its graph in memory at 1M
    op.execute(f"ALTER TABLE search_documents SET (toast_tuple_target = {ROW_TARGET})")
    # ALTER TYPE resets a column's storage to its type's default, so storage is set after it.
    op.execute("ALTER TABLE search_documents ALTER COLUMN embedding TYPE vector(384) USING embedding::text::vector")
    op.execute("ALTER TABLE search_documents ALTER COLUMN embedding SET STORAGE MAIN")


def downgrade() -> None:
    op.execute("ALTER TABLE search_documents ALTER COLUMN embedding SET STORAGE EXTERNAL")
    op.execute("ALTER TABLE search_documents RESET (toast_tuple_target)")
