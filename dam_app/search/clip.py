"""Optional CLIP backend: with DAM_CLIP_MODEL_DIR naming a local CLIP model folder, pictures and
search words are embedded into one space, so "woman running on a beach" finds a photo nobody tagged.

No CLIP weights ship in a package and nothing is ever downloaded, so without the setting this module
is inert and search runs on text embeddings and pixel descriptors alone. Vectors are stored with the
model's folder name; their length is whatever the model produces, so they are compared by an exact
scan (filtered by the caller's markets first) rather than an HNSW index, which needs a fixed length.
"""

from __future__ import annotations

import os
import threading
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session

from dam_app.config import get_settings
from dam_app.fields import utcnow
from dam_app.search.models import ClipEmbedding

_lock = threading.Lock()


def model_dir() -> Path | None:
    return get_settings().clip_model_dir


def model_name(path: Path) -> str:
    return path.resolve().name[:200]


@lru_cache(maxsize=2)
def _model(path: str) -> Any:
    os.environ["HF_HUB_OFFLINE"] = "1"  # a local folder, never a hub id
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    if not (Path(path) / "config.json").is_file():
        raise FileNotFoundError(f"DAM_CLIP_MODEL_DIR={path} is not a model folder (no config.json)")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu")


def _encode(path: Path, items: list[Any]) -> list[float]:
    with _lock:
        model = _model(str(path))
    vector = model.encode(items, normalize_embeddings=True, show_progress_bar=False)[0]
    return [float(x) for x in vector]


def embed_image(path: Path, image: Image.Image) -> list[float]:
    return _encode(path, [image.convert("RGB")])


@lru_cache(maxsize=512)
def _text_vector(path: str, text: str) -> tuple[float, ...]:
    return tuple(_encode(Path(path), [text]))


def embed_text(path: Path, text: str) -> list[float]:
    return list(_text_vector(str(path), " ".join(text.split()).lower()))


def store_image_embedding(*, session: Session, asset_id: uuid.UUID, image: Image.Image) -> bool:
    """Embed the picture with the configured CLIP model; False when none is configured."""
    path = model_dir()
    if path is None:
        return False
    values = {"asset_id": asset_id, "model": model_name(path), "embedding": embed_image(path, image)}
    session.execute(
        insert(ClipEmbedding)
        .values(**values, updated_at=utcnow())
        .on_conflict_do_update(index_elements=["asset_id"], set_={**values, "updated_at": utcnow()})
    )
    return True
