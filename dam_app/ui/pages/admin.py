"""Admin page: users and system health."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.components.market_stages import market_stages_section
from dam_app.ui.components.rule_pack_editor import rule_packs_section
from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.admin import AdminState


@signed_in_page("Admin")
def admin_page() -> rx.Component:
    return rx.cond(
        AdminState.denied,
        rx.callout("Only administrators can open this page.", icon="lock"),
        rx.vstack(
            rx.heading("Admin", size="7"),
            rx.heading("System", size="4"),
            rx.table.root(
                rx.table.body(
                    rx.foreach(
                        AdminState.health,
                        lambda r: rx.table.row(rx.table.row_header_cell(r[0]), rx.table.cell(r[1])),
                    )
                )
            ),
            rx.foreach(
                AdminState.failures,
                lambda f: rx.callout(
                    f["stage"] + " failed for asset " + f["asset_id"] + ": " + f["error"],
                    color_scheme="red",
                    size="1",
                ),
            ),
            rx.heading("Locked sign-ins", size="4"),
            rx.cond(
                AdminState.lockouts.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[rx.table.column_header_cell(h) for h in ("Account or address", "Failures", "Until", "")]
                        )
                    ),
                    rx.table.body(rx.foreach(AdminState.lockouts, _lockout_row)),
                    id="lockouts",
                ),
                rx.text("No account or address is locked out.", size="2", color_scheme="gray", id="no-lockouts"),
            ),
            rx.heading("Users", size="4"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(*[rx.table.column_header_cell(h) for h in ("E-mail", "Name", "Role", "Markets")])
                ),
                rx.table.body(
                    rx.foreach(
                        AdminState.users,
                        lambda u: rx.table.row(
                            rx.table.cell(u["email"]),
                            rx.table.cell(u["name"]),
                            rx.table.cell(u["role"]),
                            rx.table.cell(u["scope"]),
                        ),
                    )
                ),
            ),
            rx.text(
                "Add users with `dam user add EMAIL --role editor --region EU`.",
                size="2",
                color_scheme="gray",
            ),
            market_stages_section(),
            rule_packs_section(),
            align="start",
        ),
    )


def _lockout_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(rx.badge(row["kind"]), rx.text(row["who"]))),
        rx.table.cell(row["failures"]),
        rx.table.cell(row["until"]),
        rx.table.cell(rx.button("Unlock", size="1", variant="soft", on_click=AdminState.unlock(row["key"]))),
    )
