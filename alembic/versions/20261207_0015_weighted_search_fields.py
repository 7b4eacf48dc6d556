"""weighted search fields: documents are re-indexed with a weight per field

Search documents now carry tsvector weights (title A, keywords B, description and copy C, the rest D)
so ranking can count a word in the title above one in the text read from a picture. Emptying the
content hashes makes `dam reindex` (run by `dam up`) rebuild every document; the embedding is kept
where the text is unchanged, so only the words are rewritten.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE search_documents SET content_hash = ''")


def downgrade() -> None:
    op.execute("UPDATE search_documents SET content_hash = ''")  # unweighted documents rank as before
