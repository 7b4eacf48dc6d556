"""Every page path and URL builder in one place."""

LOGIN = "/login"
LIBRARY = "/"
SEARCH = "/search"
DUPLICATES = "/duplicates"
ASSET = "/assets/[asset_id]"
BOARDS = "/boards"
REVIEW = "/review"
SHARES = "/shares"
ANALYTICS = "/analytics"
ADMIN = "/admin"


def asset_url(asset_id: str) -> str:
    return f"/assets/{asset_id}"
