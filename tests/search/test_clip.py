"""The optional CLIP backend, on a tiny random CLIP built here (no weights can be downloaded):
the model folder loads offline, pictures and words land in one space, the visual stage stores the
picture's vector and search fuses a words-against-pixels ranking. Random weights cannot show that
the ranking is *good*; they show every part is wired and measured."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dam_app.accounts.principal import system_principal
from dam_app.config import reset_settings_cache
from dam_app.db import session_scope
from dam_app.demo import generate
from dam_app.search import clip, jobs
from dam_app.search import service as search_service
from dam_app.search.models import ClipEmbedding
from tests.conftest import ingest_path, wait_until_processed

PROJECTION = 16


def build_tiny_clip(folder: Path) -> Path:
    """A CLIP with 2 layers of width 32 and random weights, saved like a real one."""
    import torch
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)] + list("0123456789")
    vocab = {token: i for i, token in enumerate(letters + [f"{c}</w>" for c in letters])}
    vocab |= {"<|startoftext|>": len(vocab), "<|endoftext|>": len(vocab) + 1}
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = CLIPTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))
    images = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    CLIPProcessor(image_processor=images, tokenizer=tokenizer).save_pretrained(folder)
    small = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2}
    config = CLIPConfig(
        text_config={**small, "vocab_size": len(vocab), "max_position_embeddings": 77},
        vision_config={**small, "image_size": 32, "patch_size": 8},
        projection_dim=PROJECTION,
    )
    torch.manual_seed(0)
    CLIPModel(config).save_pretrained(folder)
    return folder


@pytest.fixture
def tiny_clip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = build_tiny_clip(tmp_path / "tiny-clip")
    monkeypatch.setenv("DAM_CLIP_MODEL_DIR", str(folder))
    reset_settings_cache()
    yield folder
    monkeypatch.delenv("DAM_CLIP_MODEL_DIR")
    reset_settings_cache()


def test_tiny_clip_embeds_pictures_and_words_into_one_space(tiny_clip: Path) -> None:
    picture = clip.embed_image(tiny_clip, Image.new("RGB", (64, 48), (200, 30, 40)))
    words = clip.embed_text(tiny_clip, "red sneaker")
    assert len(picture) == len(words) == PROJECTION
    assert abs(float(np.linalg.norm(picture)) - 1) < 1e-4 and abs(float(np.linalg.norm(words)) - 1) < 1e-4
    assert clip.embed_text(tiny_clip, "Red  Sneaker") == words  # normalised and remembered


def test_visual_stage_stores_clip_vectors_and_search_fuses_them(worker, tiny_clip: Path, tmp_path: Path) -> None:
    ids = []
    for colour in ((40, 110, 220), (200, 40, 60)):
        path = generate.product_shot(tmp_path / f"shot-{colour[0]}.jpg", "Plain Shot", colour)
        result = ingest_path(system_principal(), path)
        assert result.asset_id is not None
        ids.append(result.asset_id)
    for asset_id in ids:
        assert wait_until_processed(asset_id) == "ready"
        assert jobs.describe_asset(str(asset_id))  # the worker ran without CLIP; this process has it
    with session_scope() as session:
        stored = session.get(ClipEmbedding, ids[0])
        assert stored is not None and stored.model == "tiny-clip" and len(stored.embedding) == PROJECTION
        found = search_service.search(session=session, principal=system_principal(), query="zebra")
    # No document says "zebra"; the pictures are still ranked against the words.
    assert {h.card.asset.id for h in found.hits} >= set(ids)
    assert all(h.picture_similarity is not None for h in found.hits if h.card.asset.id in ids)


def test_a_broken_model_folder_costs_the_picture_ranking_not_the_search(
    services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.search.library import build

    with session_scope() as session:
        library = build(session)
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    monkeypatch.setenv("DAM_CLIP_MODEL_DIR", str(empty))
    reset_settings_cache()
    try:
        with session_scope() as session:
            result = search_service.search(session=session, principal=system_principal(), query="rucksack")
        assert result.hits[0].card.asset.id == library["backpack_na"]
        assert result.hits[0].picture_similarity is None
        with session_scope() as session, pytest.raises(FileNotFoundError, match=r"no config\.json"):
            clip.store_image_embedding(session=session, asset_id=uuid.uuid4(), image=Image.new("RGB", (8, 8)))
    finally:
        monkeypatch.delenv("DAM_CLIP_MODEL_DIR")
        reset_settings_cache()
