"""Channel URLs carry tokens and passwords: stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256),
shown back only masked."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets as random
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from dam_app.config import get_settings
from dam_app.errors import Invalid

KEY_FILE = "alert.key"


class UnreadableSecret(Invalid):
    """A stored channel URL that the configured key cannot decrypt (the key changed)."""


def _key_material() -> bytes:
    """The configured secret, else the one kept under var_dir (made once, readable by this user only)."""
    settings = get_settings()
    if settings.alert_key:
        return settings.alert_key.encode()
    path = Path(settings.var_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:  # two processes starting at once: O_EXCL lets one write it
        out.write(random.token_urlsafe(32).encode())
    return path.read_bytes().strip()


@lru_cache(maxsize=4)
def _fernet(material: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"dam-alerts:" + material).digest()))


def encrypt(url: str) -> str:
    return _fernet(_key_material()).encrypt(url.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(_key_material()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UnreadableSecret("this channel's URL cannot be decrypted with the current key; add it again") from exc


def mask(url: str) -> str:
    """`slack://T0…/…xyz`: the scheme, the first two and the last three characters, nothing between."""
    scheme, _, rest = url.partition("://")
    if len(rest) <= 8:
        return f"{scheme}://…"
    return f"{scheme}://{rest[:2]}…/…{rest[-3:]}"
