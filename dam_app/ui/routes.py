"""Every page path and URL builder in one place: pages and components link through these, never by
hand, so a moved route or API path is one edit."""

from __future__ import annotations

import uuid
from typing import overload

import reflex as rx

from dam_app.config import API_PREFIX

LOGIN = "/login"
LIBRARY = "/"
SEARCH = "/search"
DUPLICATES = "/duplicates"
ASSET_ID = "asset_id"  # the asset page's dynamic route argument; Reflex adds a state var of this name
ASSET = f"/assets/[{ASSET_ID}]"
COMPARE = f"/assets/[{ASSET_ID}]/compare"  # two versions side by side; which, and how, in the query
SHORT_ASSET = f"/a/[{ASSET_ID}]"  # a stable short link: always opens the asset page (its latest version)
BOARDS = "/boards"
BOARD_ID = "board_id"  # the board page's dynamic route argument
BOARD = f"/boards/[{BOARD_ID}]"
BOARD_COVERAGE = f"/boards/[{BOARD_ID}]/coverage"
CARD_ID = "card_id"  # the card page's dynamic route argument
CARD = f"/cards/[{CARD_ID}]"
REVIEW = "/review"
AUDIT = "/audit"
SHARES = "/shares"
ANALYTICS = "/analytics"
ADMIN = "/admin"
ALERT_SETTINGS = "/settings/alerts"  # channels, quiet hours, watches, recent alerts

AUTH_EXCHANGE = f"{API_PREFIX}/auth/exchange"  # trades the one-time login code for the HttpOnly cookie
AUTH_LOGOUT = f"{API_PREFIX}/auth/logout"


@overload
def asset_url(asset_id: str | uuid.UUID) -> str: ...
@overload
def asset_url(asset_id: rx.Var[str]) -> rx.Var[str]: ...
def asset_url(asset_id: str | uuid.UUID | rx.Var[str]) -> str | rx.Var[str]:
    """The asset page of `asset_id`; given a Var (an id inside rx.foreach), a Var the browser fills in."""
    if isinstance(asset_id, rx.Var):
        return "/assets/" + asset_id
    return f"/assets/{asset_id}"


def compare_url(asset_id: str | uuid.UUID, older: str | uuid.UUID, newer: str | uuid.UUID) -> str:
    """The compare view of two versions of an asset (`a` the older, `b` the newer)."""
    return f"/assets/{asset_id}/compare?a={older}&b={newer}"


def board_url(board_id: str | uuid.UUID) -> str:
    return f"/boards/{board_id}"


def board_coverage_url(board_id: str | uuid.UUID) -> str:
    return f"/boards/{board_id}/coverage"


def card_url(card_id: str | uuid.UUID) -> str:
    return f"/cards/{card_id}"


def board_export_url(board_id: str | uuid.UUID) -> str:
    """The board's cards as CSV (the API reads the page's session cookie)."""
    return f"{API_PREFIX}/boards/{board_id}/export.csv"


def diff_image_url(diff_id: str | uuid.UUID, name: str) -> str:
    """A picture a comparison made (heatmap, aligned, keyframe-a-0), served by the API like a rendition."""
    return f"{API_PREFIX}/diffs/{diff_id}/images/{name}"


def rendition_url(rendition_id: str | uuid.UUID) -> str:
    """A rendition's image (thumbnail, preview), served by the API with the viewer's cookie."""
    return f"{API_PREFIX}/renditions/{rendition_id}"


def original_url(version_id: str | uuid.UUID) -> str:
    """A version's original file: the download link, and the source of the video player."""
    return f"{API_PREFIX}/versions/{version_id}/file"
