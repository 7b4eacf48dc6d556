"""rights records and market verdicts: several rights records per asset (one may be for a single
version), with territory, period, usages, releases, minors and music; one verdict per version and
market (usable, usable with conditions, blocked) kept with the moment it next changes; the asset's
verdicts and the markets it is usable in, mirrored into search; "approved with changes" as a decision;
an index on the asset an audit event names, for the audit trail's filter.

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_MIRRORED = (
    "markets", "content_type", "campaign", "phase", "channel", "media_kind", "status", "language", "colours",
    "orientation", "created_by", "created_at", "tag_names", "has_person", "approval_states", "use_count",
)  # fmt: skip
MIRRORED = (*OLD_MIRRORED, "usable_in")
APPROVED = "('approved','approved_with_changes')"
UNJUDGING_TABLES = ("approvals", "compliance_findings", "compliance_exceptions", "compliance_checks")
TRANSITIONS = {"INSERT": "NEW TABLE AS changed", "UPDATE": "NEW TABLE AS changed", "DELETE": "OLD TABLE AS changed"}
RECORD_TERMS = (
    "asset_id", "version_id", "licensed_markets", "licence_start", "licence_end", "usages",
    "model_release_status", "property_release_status", "minors", "music",
)  # fmt: skip


def _text_array(name: str) -> sa.Column:
    return sa.Column(name, postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False)


def upgrade() -> None:
    op.drop_constraint("rights_records_pkey", "rights_records", type_="primary")
    op.add_column("rights_records", sa.Column("id", sa.Integer(), sa.Identity(), nullable=False))
    op.create_primary_key("rights_records_pkey", "rights_records", ["id"])
    op.create_index("ix_rights_records_asset_id", "rights_records", ["asset_id"])
    op.create_index(
        "uq_rights_records_embedded", "rights_records", ["asset_id"], unique=True,
        postgresql_where=sa.text("source = 'embedded'"),
    )  # fmt: skip
    op.add_column(
        "rights_records",
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("versions.id", ondelete="CASCADE"), nullable=True),
    )
    op.add_column("rights_records", _text_array("usages"))
    op.add_column("rights_records", sa.Column("minors", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("rights_records", sa.Column("music", sa.String(16), server_default="", nullable=False))
    op.add_column("rights_records", sa.Column("note", sa.Text(), server_default="", nullable=False))
    op.add_column("rights_records", sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    op.add_column(
        "rights_records",
        sa.Column("created_by", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    op.add_column(
        "rights_records",
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.add_column("rights_records", sa.Column("expiry_alerted_for", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint("ck_rights_records_music", "rights_records", "music IN ('', 'licensed', 'no_music')")
    # A file may have stated an end before its start: keep the end (the safer of the two).
    op.execute("UPDATE rights_records SET licence_start = NULL WHERE licence_start >= licence_end")
    op.create_check_constraint(
        "ck_rights_records_period",
        "rights_records",
        "licence_start IS NULL OR licence_end IS NULL OR licence_start < licence_end",
    )

    op.create_table(
        "market_verdicts",
        sa.Column("version_id", sa.Uuid(), sa.ForeignKey("versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("market", sa.String(16), nullable=False),
        sa.Column("asset_id", sa.Uuid(), sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reasons", postgresql.JSONB(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("version_id", "market"),
        sa.CheckConstraint("verdict IN ('usable','conditions','blocked')", name="ck_market_verdicts_verdict"),
    )
    op.create_index("ix_market_verdicts_asset_id", "market_verdicts", ["asset_id"])
    op.create_index(
        "ix_market_verdicts_valid_until", "market_verdicts", ["valid_until"],
        postgresql_where=sa.text("valid_until IS NOT NULL"),
    )  # fmt: skip

    op.add_column("assets", _text_array("verdicts"))
    op.add_column("assets", _text_array("usable_in"))
    op.add_column("search_documents", _text_array("usable_in"))
    op.create_index("ix_search_documents_usable_in", "search_documents", ["usable_in"], postgresql_using="gin")
    # The sweep finds current versions never judged through this partial index (rights/jobs.py).
    op.create_index(
        "ix_assets_unjudged", "assets", ["id"],
        postgresql_where=sa.text("verdicts = '{}' AND current_version_id IS NOT NULL"),
    )  # fmt: skip
    _mirror(MIRRORED)
    _unjudged_triggers()

    op.drop_constraint("ck_approvals_decision", "approvals", type_="check")
    op.alter_column("approvals", "decision", type_=sa.String(24), existing_nullable=False)
    op.create_check_constraint("ck_approvals_decision", "approvals", f"decision IN {APPROVED[:-1]},'rejected')")
    _approval_states(APPROVED)
    op.create_index("ix_audit_events_asset_id", "audit_events", [sa.text("(details ->> 'asset_id')")])


def _unjudged_triggers() -> None:
    """Whatever a verdict is made of changes: the asset's verdicts are emptied in that transaction,
    so the worker's sweep judges it again (rights/jobs.py) and no reader trusts the old answer. The
    update always runs (also on an asset already unjudged): it waits for a refresh that holds the
    row, and so empties what that refresh stored from the rows read before this change."""
    op.execute(
        "CREATE FUNCTION assets_unjudge_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE assets SET verdicts = '{}' WHERE id IN (SELECT DISTINCT asset_id FROM changed); "
        "RETURN NULL; END $$"
    )
    for table in UNJUDGING_TABLES:
        for event, transition in TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_unjudge_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION assets_unjudge_changed()"
            )
    # A record changes one row at a time; the expiry notice's mark must not touch the asset.
    op.execute(
        "CREATE FUNCTION assets_unjudge_for_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE assets SET verdicts = '{}' WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.asset_id "
        "ELSE NEW.asset_id END); RETURN NULL; END $$"
    )
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in RECORD_TERMS)
    op.execute(
        "CREATE TRIGGER rights_records_unjudge AFTER INSERT OR DELETE ON rights_records "
        "FOR EACH ROW EXECUTE FUNCTION assets_unjudge_for_record()"
    )
    op.execute(
        f"CREATE TRIGGER rights_records_unjudge_update AFTER UPDATE ON rights_records FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION assets_unjudge_for_record()"
    )
    op.execute(
        "CREATE FUNCTION assets_unjudge_self() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "NEW.verdicts := '{}'; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER assets_unjudge_self BEFORE UPDATE OF current_version_id, markets, has_person ON assets "
        "FOR EACH ROW WHEN (OLD.current_version_id IS DISTINCT FROM NEW.current_version_id "
        "OR OLD.markets IS DISTINCT FROM NEW.markets OR OLD.has_person IS DISTINCT FROM NEW.has_person) "
        "EXECUTE FUNCTION assets_unjudge_self()"
    )


def _approval_states(approved: str) -> None:
    op.execute(
        "CREATE OR REPLACE FUNCTION approval_states_of(version uuid) RETURNS text[] LANGUAGE sql STABLE AS $$ "
        "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM approvals WHERE version_id = version) THEN ARRAY['unreviewed'] "
        "ELSE ARRAY(SELECT stage || '_approved' FROM approvals WHERE version_id = version "
        f"AND decision IN {approved} "
        "UNION SELECT CASE WHEN EXISTS (SELECT 1 FROM approvals WHERE version_id = version AND decision = 'rejected') "
        "THEN 'rejected' ELSE 'approved' END ORDER BY 1) END $$"
    )


def _mirror(columns: tuple[str, ...]) -> None:
    """(Re)create the trigger that copies `columns` of every updated asset into its search document
    (as migration 0005 does)."""
    op.execute("DROP TRIGGER IF EXISTS assets_mirror_to_search ON assets")
    op.execute(
        "CREATE OR REPLACE FUNCTION search_documents_mirror_asset() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE search_documents SET {', '.join(f'{c} = NEW.{c}' for c in columns)} WHERE asset_id = NEW.id; "
        "RETURN NULL; END $$"
    )
    old, new = (", ".join(f"{side}.{c}" for c in columns) for side in ("OLD", "NEW"))
    op.execute(
        "CREATE TRIGGER assets_mirror_to_search AFTER UPDATE ON assets FOR EACH ROW "
        f"WHEN (ROW({old}) IS DISTINCT FROM ROW({new})) EXECUTE FUNCTION search_documents_mirror_asset()"
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_asset_id", table_name="audit_events")
    op.execute("UPDATE approvals SET decision = 'approved' WHERE decision = 'approved_with_changes'")
    _approval_states("('approved')")
    op.drop_constraint("ck_approvals_decision", "approvals", type_="check")
    op.create_check_constraint("ck_approvals_decision", "approvals", "decision IN ('approved','rejected')")
    op.alter_column("approvals", "decision", type_=sa.String(16), existing_nullable=False)
    _mirror(OLD_MIRRORED)
    op.execute("DROP TRIGGER assets_unjudge_self ON assets")
    op.execute("DROP FUNCTION assets_unjudge_self()")
    op.execute("DROP TRIGGER rights_records_unjudge_update ON rights_records")
    op.execute("DROP TRIGGER rights_records_unjudge ON rights_records")
    op.execute("DROP FUNCTION assets_unjudge_for_record()")
    for table in UNJUDGING_TABLES:
        for event in TRANSITIONS:
            op.execute(f"DROP TRIGGER {table}_unjudge_{event.lower()} ON {table}")
    op.execute("DROP FUNCTION assets_unjudge_changed()")
    op.drop_index("ix_assets_unjudged", table_name="assets")
    op.drop_index("ix_search_documents_usable_in", table_name="search_documents")
    op.drop_column("search_documents", "usable_in")
    op.drop_column("assets", "usable_in")
    op.drop_column("assets", "verdicts")
    op.drop_table("market_verdicts")
    op.execute("DELETE FROM rights_records WHERE id NOT IN (SELECT min(id) FROM rights_records GROUP BY asset_id)")
    op.drop_constraint("ck_rights_records_period", "rights_records", type_="check")
    op.drop_constraint("ck_rights_records_music", "rights_records", type_="check")
    for column in ("expiry_alerted_for", "created_at", "created_by", "revision", "note", "music", "minors"):
        op.drop_column("rights_records", column)
    op.drop_column("rights_records", "usages")
    op.drop_column("rights_records", "version_id")
    op.drop_index("uq_rights_records_embedded", table_name="rights_records")
    op.drop_index("ix_rights_records_asset_id", table_name="rights_records")
    op.drop_constraint("rights_records_pkey", "rights_records", type_="primary")
    op.drop_column("rights_records", "id")
    op.create_primary_key("rights_records_pkey", "rights_records", ["asset_id"])
