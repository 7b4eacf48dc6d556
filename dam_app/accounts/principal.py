"""Who is calling: role permissions and market scope, checked by every service call."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from dam_app.errors import Forbidden


class PermissionDenied(Forbidden):
    """The caller's role or region does not allow this; the message says which."""


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID | None
    email: str
    role: str
    permissions: frozenset[str]
    region_codes: frozenset[str] = field(default_factory=frozenset)
    all_regions: bool = False
    global_markets: frozenset[str] = field(default_factory=frozenset)
    display_name: str = ""

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"role '{self.role}' lacks permission '{permission}'")

    @property
    def visible_markets(self) -> frozenset[str]:
        return self.region_codes | self.global_markets

    def readable_markets(self, markets: list[str]) -> list[str]:
        """Those of these markets the caller works in (all of them for all-regions roles), in order."""
        return [m for m in markets if self.all_regions or m in self.visible_markets]

    def may_see_markets(self, markets: list[str], created_by: uuid.UUID | None = None) -> bool:
        if self.all_regions or (created_by is not None and created_by == self.user_id):
            return True
        return bool(self.visible_markets.intersection(markets))

    def require_markets(self, markets: list[str]) -> None:
        """Writers may only classify assets into markets they are scoped to."""
        if self.all_regions:
            return
        outside = sorted(set(markets) - self.visible_markets)
        if outside:
            raise PermissionDenied(f"you are not scoped to market(s) {', '.join(outside)}")


def system_principal() -> Principal:
    """The identity of CLI imports and background jobs run by an operator on the machine."""
    return Principal(
        user_id=None,
        email="system",
        role="admin",
        permissions=frozenset(
            {"asset.read", "asset.write", "asset.review", "user.manage", "system.manage", "comment.internal"}
        ),
        all_regions=True,
        display_name="system",
    )
