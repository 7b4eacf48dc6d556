"""Asset tiles: the library grid's, and the smaller look-alike tile."""

from __future__ import annotations

import reflex as rx

from dam_app.ui import routes
from dam_app.ui.components.badges import status_badge


def _thumbnail(item: rx.Var[dict[str, str]], height: str, placeholder: rx.Component) -> rx.Component:
    """The card's picture, or `placeholder` while there is none (still rendering, or no pixels)."""
    return rx.inset(
        rx.cond(
            item["thumb"] != "",
            rx.image(
                src=item["thumb"],
                alt=item["title"],
                width="100%",
                height=height,
                object_fit="contain",
                background=rx.color("gray", 3),
                loading="lazy",
            ),
            rx.center(placeholder, height=height, background=rx.color("gray", 3)),
        ),
        side="top",
        pb="current",
    )


def asset_link(content: rx.Component, asset_id: rx.Var[str], **props: object) -> rx.Component:
    """A tile or row that opens the asset's page: plain text colours, no underline."""
    return rx.link(
        content, href=routes.asset_url(asset_id), underline="none", color_scheme="gray", high_contrast=True, **props
    )


def verdict_badge(item: rx.Var[dict[str, str]]) -> rx.Component:
    """Usable in which of its markets (worst first), coloured by the worst."""
    return rx.cond(
        item["verdict_label"] != "",
        rx.badge(
            item["verdict_label"],
            color_scheme=rx.match(item["verdict"], ("blocked", "red"), ("conditions", "amber"), "green"),
            variant="soft",
            class_name="tile-verdict",
            style={"white_space": "normal"},
        ),
    )


def asset_card(item: rx.Var[dict[str, str]]) -> rx.Component:
    return asset_link(
        rx.card(
            _thumbnail(item, "180px", rx.spinner()),
            rx.text(
                item["title"],
                weight="bold",
                size="2",
                trim="both",
                class_name="asset-title",
                style={"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"},
            ),
            rx.hstack(
                status_badge(item["status"]),
                rx.badge(item["version"], variant="outline"),
                rx.text(item["markets"], size="1", color_scheme="gray"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(item["content_type"], " ", item["phase"], size="1", color_scheme="gray"),
            verdict_badge(item),
        ),
        item["id"],
        class_name="asset-card",
    )


def look_alike_card(item: rx.Var[dict[str, str]]) -> rx.Component:
    """A smaller tile for "more like this", picture search and duplicate groups: how alike, and
    whether it is the same picture."""
    return asset_link(
        rx.card(
            _thumbnail(item, "120px", rx.icon("file-text")),
            rx.text(
                item["title"],
                size="1",
                weight="bold",
                style={"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"},
            ),
            rx.hstack(
                rx.text(item["markets"], size="1", color_scheme="gray"),
                rx.cond(
                    item.contains("similarity"),
                    rx.text(item["similarity"], size="1", color_scheme="indigo", class_name="similarity"),
                ),
                rx.cond(
                    item.contains("duplicate") & (item["duplicate"] != ""),
                    rx.badge(item["duplicate"], color_scheme="orange", class_name="near-duplicate"),
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        ),
        item["id"],
        class_name="look-alike",
        width="160px",
    )
