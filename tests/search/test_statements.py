"""The SQL pieces searches share: settings in one statement, the query vector written once."""

from __future__ import annotations

import random

import numpy as np
from sqlalchemy import select, text
from sqlmodel import Session

from dam_app.search import statements


def test_settings_hold_for_the_transaction_and_several_go_in_one_statement(tx: Session) -> None:
    statements.set_local(tx, {"enable_seqscan": "off", "hnsw.ef_search": 321})
    assert tx.execute(text("SHOW enable_seqscan")).scalar_one() == "off"
    assert tx.execute(text("SHOW hnsw.ef_search")).scalar_one() == "321"


def test_the_query_vector_reaches_the_server_as_the_same_float32_values(tx: Session) -> None:
    rng = random.Random(3)
    vector = [rng.uniform(-0.3, 0.3) for _ in range(384)]
    vector[0], vector[1] = 2.4992193e-33, -1.7571168e-08  # exponents survive
    stored = tx.execute(select(statements.query_vector(vector))).scalar_one()
    assert np.array_equal(np.asarray(stored, dtype=np.float32), np.asarray(vector, dtype=np.float32))
