"""approval states follow the markets' required stages: "approved" only once every market of the
asset has every stage it requires approved (with or without changes), "in_review" while some are
still awaited, "rejected" as soon as one stage rejects. Until now one approval anywhere made the asset
"approved" in search. The asset's markets changing relabels it too; a market's required stages
changing relabels its assets in the worker (rights/jobs.rejudge_market).

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPROVED = "('approved','approved_with_changes')"
OLD_STATES = (
    "CREATE FUNCTION approval_states_of(version uuid) RETURNS text[] LANGUAGE sql STABLE AS $$ "
    "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM approvals WHERE version_id = version) THEN ARRAY['unreviewed'] "
    "ELSE ARRAY(SELECT stage || '_approved' FROM approvals WHERE version_id = version "
    f"AND decision IN {APPROVED} "
    "UNION SELECT CASE WHEN EXISTS (SELECT 1 FROM approvals WHERE version_id = version AND decision = 'rejected') "
    "THEN 'rejected' ELSE 'approved' END ORDER BY 1) END $$"
)
NEW_STATES = (
    "CREATE FUNCTION approval_states_of(version uuid, asset_markets text[]) RETURNS text[] "
    "LANGUAGE sql STABLE AS $$ "
    "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM approvals WHERE version_id = version) THEN ARRAY['unreviewed'] "
    "ELSE ARRAY(SELECT stage || '_approved' FROM approvals WHERE version_id = version "
    f"AND decision IN {APPROVED} "
    "UNION SELECT CASE "
    "WHEN EXISTS (SELECT 1 FROM approvals WHERE version_id = version AND decision = 'rejected') THEN 'rejected' "
    "WHEN coalesce(cardinality(asset_markets), 0) = 0 THEN 'in_review' "  # no market left to approve it for
    "WHEN EXISTS (SELECT 1 FROM unnest(asset_markets) m(code) "
    "LEFT JOIN markets mk ON mk.code = m.code "
    "CROSS JOIN LATERAL unnest(coalesce(mk.review_stages, ARRAY['legal'])) s(stage) "
    "WHERE NOT EXISTS (SELECT 1 FROM approvals ap WHERE ap.version_id = version AND ap.market = m.code "
    f"AND ap.stage = s.stage AND ap.decision IN {APPROVED})) THEN 'in_review' "
    "ELSE 'approved' END ORDER BY 1) END $$"
)


def _relabel_functions(call: str) -> None:
    op.execute(
        "CREATE OR REPLACE FUNCTION approvals_relabel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE assets SET approval_states = {call.format(row='assets')} "
        "WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.asset_id ELSE NEW.asset_id END; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION assets_version_relabel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.approval_states := {call.format(row='NEW')}; RETURN NEW; END $$"
    )


def _version_trigger(columns: tuple[str, ...]) -> None:
    op.execute("DROP TRIGGER assets_version_relabel ON assets")
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    op.execute(
        f"CREATE TRIGGER assets_version_relabel BEFORE UPDATE OF {', '.join(columns)} ON assets FOR EACH ROW "
        f"WHEN ({changed}) EXECUTE FUNCTION assets_version_relabel()"
    )


def upgrade() -> None:
    op.execute(NEW_STATES)
    _relabel_functions("approval_states_of({row}.current_version_id, {row}.markets)")
    _version_trigger(("current_version_id", "markets"))
    op.execute("DROP FUNCTION approval_states_of(uuid)")
    op.execute(
        "UPDATE assets SET approval_states = approval_states_of(current_version_id, markets) "
        "WHERE approval_states <> ARRAY['unreviewed']"
    )


def downgrade() -> None:
    op.execute(OLD_STATES)
    _relabel_functions("approval_states_of({row}.current_version_id)")
    _version_trigger(("current_version_id",))
    op.execute("DROP FUNCTION approval_states_of(uuid, text[])")
    op.execute(
        "UPDATE assets SET approval_states = approval_states_of(current_version_id) "
        "WHERE approval_states <> ARRAY['unreviewed']"
    )
