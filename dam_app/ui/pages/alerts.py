"""Alert settings: where alerts go (Apprise URLs, shown masked), when (quiet hours, digest), what
one watches, and how the recent alerts went."""

from __future__ import annotations

import reflex as rx

from dam_app.ui.layout import signed_in_page
from dam_app.ui.state.alerts import DIGEST_MODES, HOURS, ZONES, AlertsState

STATUS_COLOURS = {"delivered": "green", "failed": "red", "held": "amber", "pending": "blue", "sending": "blue"}


def _status(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[(name, rx.badge(name, color_scheme=colour)) for name, colour in STATUS_COLOURS.items()],
        rx.badge(status),
    )


def _channel_row(row: rx.Var, team: bool = False) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["name"]),
        rx.table.cell(rx.code(row["masked"])),
        *([rx.table.cell(row["markets"])] if team else []),
        rx.table.cell(
            rx.hstack(
                rx.button("Send test", size="1", variant="soft", on_click=AlertsState.test_channel(row["id"])),
                rx.button(
                    "Remove",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=AlertsState.remove_channel(row["id"]),
                ),
            )
        ),
        class_name="channel-row",
    )


def _add_channel_form(team: bool) -> rx.Component:
    fields = [
        rx.input(
            name="url",
            placeholder="slack://…, json://host/path, mailto://…, ntfy://topic",
            width="28em",
            id="team-channel-url" if team else "channel-url",
        ),
        rx.input(name="name", placeholder="Name (optional)", width="12em"),
    ]
    if team:
        fields.append(rx.input(name="markets", placeholder="Markets, e.g. JP CN", width="10em"))
    return rx.form(
        rx.hstack(
            *fields,
            rx.button(
                "Add team channel" if team else "Add channel",
                type="submit",
                id="add-team-channel" if team else "add-channel",
            ),
            wrap="wrap",
        ),
        on_submit=AlertsState.add_team_channel if team else AlertsState.add_channel,
        reset_on_submit=True,
    )


def _pref(label: str, name: str, options: list[str] | None = None, placeholder: str = "") -> rx.Component:
    """One labelled field of the preferences form, opened on the saved value (keyed by it, so a
    load shows the new value in an uncontrolled field)."""
    saved = AlertsState.prefs[name]
    if options is not None:
        control = rx.select(options, name=name, default_value=saved, key=saved)
    else:
        control = rx.input(name=name, placeholder=placeholder, default_value=saved, width="6em", key=saved)
    return rx.vstack(rx.text(label, size="1"), control)


def _prefs_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            _pref("Time zone", "time_zone", ZONES),
            _pref("Quiet from", "quiet_start", placeholder="22:00"),
            _pref("to", "quiet_end", placeholder="07:00"),
            _pref("Digest", "digest", DIGEST_MODES),
            _pref("Daily digest at (hour)", "digest_hour", HOURS),
            rx.button("Save", type="submit", id="save-prefs"),
            align="end",
            wrap="wrap",
        ),
        on_submit=AlertsState.save_prefs,
    )


def _watch_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.badge(row["kind"])),
        rx.table.cell(rx.cond(row["href"] != "", rx.link(row["label"], href=row["href"]), rx.text(row["label"]))),
        rx.table.cell(rx.button("Stop", size="1", variant="soft", on_click=AlertsState.remove_watch(row["id"]))),
        class_name="watch-row",
    )


def _delivery_table(rows: rx.Var, with_user: bool, table_id: str) -> rx.Component:
    headers = ["Alert", "Channel", *(["To"] if with_user else []), "Why", "Status", "Tries", "When", "Error"]
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(
            rx.foreach(
                rows,
                lambda d: rx.table.row(
                    rx.table.cell(d["title"]),
                    rx.table.cell(d["channel"], size="1"),
                    *([rx.table.cell(d["user"])] if with_user else []),
                    rx.table.cell(
                        rx.hstack(
                            rx.text(d["reason"], size="1"),
                            rx.cond(d["urgent"] != "", rx.badge("urgent", color_scheme="red")),
                        )
                    ),
                    rx.table.cell(_status(d["status"]), class_name="delivery-status"),
                    rx.table.cell(d["attempts"]),
                    rx.table.cell(d["at"], size="1"),
                    rx.table.cell(rx.text(d["error"], size="1", color_scheme="red")),
                    class_name="delivery-row",
                ),
            )
        ),
        id=table_id,
    )


@signed_in_page("Alerts")
def alerts_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Alerts", size="7"),
            rx.button(
                rx.icon("refresh-cw", size=14),
                "Refresh",
                size="1",
                variant="soft",
                on_click=AlertsState.load,
                id="refresh-alerts",
            ),
            align="center",
        ),
        rx.cond(
            AlertsState.error != "",
            rx.callout(AlertsState.error, icon="triangle-alert", color_scheme="red", id="alerts-error"),
        ),
        rx.cond(
            AlertsState.notice != "",
            rx.callout(AlertsState.notice, icon="check", color_scheme="green", id="alerts-notice"),
        ),
        rx.heading("Channels", size="4"),
        rx.text(
            "Any Apprise URL: Slack, Teams, Discord, e-mail (mailto://), ntfy, or a JSON or form webhook. "
            "Stored encrypted; shown here only masked.",
            size="2",
            color_scheme="gray",
        ),
        rx.table.root(rx.table.body(rx.foreach(AlertsState.channels, lambda c: _channel_row(c))), id="channels"),
        _add_channel_form(team=False),
        rx.heading("When", size="4"),
        rx.text(
            "Alerts that arrive in your quiet hours wait until they end; "
            "a rejection in one of your markets still comes at once.",
            size="2",
            color_scheme="gray",
        ),
        _prefs_form(),
        rx.heading("Watching", size="4"),
        rx.text(
            "Your own uploads and versions you downloaded are watched by themselves.", size="2", color_scheme="gray"
        ),
        rx.table.root(rx.table.body(rx.foreach(AlertsState.watches, _watch_row)), id="watches"),
        rx.form(
            rx.hstack(
                rx.select(["search", "market", "campaign"], name="kind", default_value="search"),
                rx.input(name="target", placeholder="red banner Japan · JP · Double Eleven", width="20em"),
                rx.button("Watch", type="submit", id="add-watch"),
            ),
            on_submit=AlertsState.add_watch,
            reset_on_submit=True,
        ),
        rx.heading("Recent alerts", size="4"),
        _delivery_table(AlertsState.deliveries, False, "deliveries"),
        rx.cond(
            AlertsState.is_admin,
            rx.vstack(
                rx.heading("Team channels", size="4"),
                rx.table.root(
                    rx.table.body(rx.foreach(AlertsState.team_channels, lambda c: _channel_row(c, team=True)))
                ),
                _add_channel_form(team=True),
                rx.heading("Every delivery", size="4"),
                _delivery_table(AlertsState.all_deliveries, True, "all-deliveries"),
                align="start",
                width="100%",
            ),
        ),
        align="start",
        width="100%",
    )
