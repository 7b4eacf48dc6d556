"""weighted search fields: documents are re-indexed with a weight per field

Search documents now carry tsvector weights (title A, keywords B, description and copy C, the rest D)
so ranking can count a word in the title above one in the text read from a picture, and passages
(migration 0016). `document_format` says how a document was built: the existing ones read 0, and
`dam reindex` (run by `dam up`) rebuilds every document older than search/documents.py's
DOCUMENT_FORMAT, keeping the embedding where the text is unchanged. Adding a column with a constant
default rewrites nothing, so the upgrade takes no time at a million documents.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("search_documents", sa.Column("document_format", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("search_documents", "document_format")
