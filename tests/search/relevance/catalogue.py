"""A relevance set the way a brand's catalogue looks, for tests/search/test_relevance_catalogue.py
and benchmarks/relevance.py.

64 products with multi-sentence shop descriptions in English, German, Japanese and Chinese, and 40
near misses next to them (a cheesecake that needs a fridge beside the picnic crisps), delivered as
JPEG files with title, description and keywords in IPTC and XMP, as photo desks deliver them, and
read back by the product's own metadata reader; among them at least 1,000 other marketing assets.
100 queries phrased as needs ("something for a picnic that keeps without a fridge"), each with
graded answers (2: what the searcher needs, 1: also fine). Scored three ways over the same
documents: plain BM25, plain dense (the same MiniLM, exact cosine), and the product's search.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sqlalchemy import text
from sqlmodel import Session, col, select

from dam_app.accounts.principal import Principal
from dam_app.assets.metadata import interpret, read_embedded
from dam_app.assets.models import Version
from dam_app.search import embeddings, ranking
from dam_app.search import service as search_service
from dam_app.search.models import SearchDocument
from dam_app.search.text import terms
from tests import factories

HERE = Path(__file__).parent
PRODUCTS: list[dict] = json.loads((HERE / "products.json").read_text(encoding="utf-8"))
QUERIES: list[dict] = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))
MARKET_OF_LANGUAGE = {"en": "NA", "de": "EU", "ja": "JP", "zh": "CN"}
CUTOFF = 10

Ranker = Callable[[str], list[str]]  # query -> product keys (or other ids), best first


def write_files(folder: Path) -> dict[str, Path]:
    """One small JPEG per product, its words written into IPTC and XMP by one ExifTool run."""
    folder.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    files: dict[str, Path] = {}
    for i, product in enumerate(PRODUCTS):
        path = folder / f"IMG_{4000 + i}.jpg"  # a camera's name: the words come from the metadata only
        shade = (37 * i % 200 + 30, 91 * i % 200 + 30, 53 * i % 200 + 30)
        Image.new("RGB", (96, 96), shade).save(path, quality=85)
        args += ["-m", "-overwrite_original", "-charset", "iptc=UTF8", "-IPTC:CodedCharacterSet=UTF8"]
        args += [f"-XMP-dc:Title={product['title']}", f"-XMP-dc:Description={product['description']}"]
        args += [f"-IPTC:ObjectName={product['title'][:64]}", f"-IPTC:Caption-Abstract={product['description']}"]
        for keyword in product["keywords"]:
            args += [f"-XMP-dc:Subject={keyword}", f"-IPTC:Keywords={keyword}"]
        args += [str(path), "-execute"]
        files[product["id"]] = path
    argfile = folder / "exiftool.args"
    argfile.write_text("\n".join(args) + "\n", encoding="utf-8")
    subprocess.run(["exiftool", "-q", "-@", str(argfile)], check=True, capture_output=True)
    return files


def load(session: Session, folder: Path, *, others: int = 1000, seed: int = 7) -> dict[str, uuid.UUID]:
    """The products (read from their files' metadata) and `others` marketing assets around them,
    indexed; product key -> asset id. Ends with ANALYZE, as autovacuum would after a bulk load."""
    ids: dict[str, uuid.UUID] = {}
    for key, path in write_files(folder).items():
        facts = interpret(read_embedded(path))
        language = key.split("-")[0]
        ids[key] = factories.asset(
            session,
            title=facts.title or path.stem,
            description=facts.description or "",
            markets=[MARKET_OF_LANGUAGE[language]],
            content_type="product_image",
            tags=facts.keywords,
            filename=path.name,
        ).id
    _others(session, others, random.Random(seed))
    session.commit()
    session.execute(text("ANALYZE search_documents"))
    session.commit()
    ranking.forget_stats()
    return ids


def reload_ids(session: Session) -> dict[str, uuid.UUID]:
    """Product key -> asset id of a catalogue loaded earlier (by the files' names)."""
    names = {f"IMG_{4000 + i}.jpg": p["id"] for i, p in enumerate(PRODUCTS)}
    rows = session.execute(
        select(col(Version.original_filename), col(Version.asset_id)).where(col(Version.original_filename).in_(names))
    ).all()
    return {names[name]: asset_id for name, asset_id in rows}


def _others(session: Session, count: int, rng: random.Random) -> None:
    """Campaign assets of the kind a marketing library is full of, in the markets' languages."""
    from benchmarks.search_data import CAMPAIGNS, COPY, MARKETS, PRODUCTS, STYLES, TYPES

    languages = {"NA": "en", "EU": "de", "JP": "ja", "CN": "zh", "SEA": "id", "LATAM": "es"}
    for i in range(count):
        product, style = PRODUCTS[i % len(PRODUCTS)], STYLES[(i // len(PRODUCTS)) % len(STYLES)]
        campaign, market = rng.choice(CAMPAIGNS), rng.choice(MARKETS)
        factories.asset(
            session,
            title=f"{product} {style} {campaign}",
            description=f"{campaign} {style} of our {product}. {COPY.get(languages.get(market, 'en'), COPY['en'])}",
            markets=[market],
            content_type=rng.choice(TYPES),
            tags=[product.split()[-1], campaign.lower()],
            filename=f"{product.replace(' ', '_')}_{i}.jpg",
        )


@dataclass(frozen=True)
class Scores:
    recall: float  # share of the graded answers in the first CUTOFF
    mrr: float  # 1 / rank of the first graded answer
    ndcg: float  # graded gain (2^grade - 1) discounted by log2(rank + 1), over the ideal order

    def beats(self, other: Scores) -> bool:
        return self.recall > other.recall and self.mrr > other.mrr and self.ndcg > other.ndcg

    def __str__(self) -> str:
        return f"recall@{CUTOFF} {self.recall:.3f}  MRR {self.mrr:.3f}  nDCG@{CUTOFF} {self.ndcg:.3f}"


def score(rank: Ranker, queries: list[dict] | None = None) -> tuple[Scores, list[tuple[str, int | None]]]:
    """The three figures over the queries, and (query, rank of its first answer) for each."""
    recalls, reciprocal, gains, firsts = [], [], [], []
    for q in queries or QUERIES:
        grades: dict[str, int] = q["relevant"]
        ranked = rank(q["query"])[:CUTOFF]
        recalls.append(sum(1 for key in ranked if key in grades) / len(grades))
        first = next((i for i, key in enumerate(ranked, start=1) if key in grades), None)
        reciprocal.append(1 / first if first else 0.0)
        firsts.append((q["query"], first))
        dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 1) for i, key in enumerate(ranked, start=1))
        ideal = sorted(grades.values(), reverse=True)[:CUTOFF]
        gains.append(dcg / sum((2**g - 1) / math.log2(i + 1) for i, g in enumerate(ideal, start=1)))
    n = len(recalls)
    return Scores(sum(recalls) / n, sum(reciprocal) / n, sum(gains) / n), firsts


def product_ranker(session: Session, principal: Principal, ids: dict[str, uuid.UUID]) -> Ranker:
    """The product's search, as a user would call it."""
    key_of = {asset_id: key for key, asset_id in ids.items()}

    def rank(query: str) -> list[str]:
        hits = search_service.search(session=session, principal=principal, query=query, limit=CUTOFF).hits
        return [key_of.get(h.card.asset.id, str(h.card.asset.id)) for h in hits]

    return rank


def _documents(session: Session, ids: dict[str, uuid.UUID]) -> tuple[list[str], list[str], list[list[float]]]:
    key_of = {asset_id: key for key, asset_id in ids.items()}
    rows = session.execute(
        select(col(SearchDocument.asset_id), col(SearchDocument.content), col(SearchDocument.embedding))
    ).all()
    keys = [key_of.get(r[0], str(r[0])) for r in rows]
    return keys, [r[1] for r in rows], [list(r[2]) for r in rows]


def bm25_ranker(session: Session, ids: dict[str, uuid.UUID], k1: float = 1.2, b: float = 0.75) -> Ranker:
    """Plain Okapi BM25 over the same indexed texts and the same word and CJK-bigram rules."""
    keys, texts, _ = _documents(session, ids)
    docs = [Counter(terms(t)) for t in texts]
    lengths = [sum(d.values()) for d in docs]
    average = sum(lengths) / len(lengths)
    df = Counter(term for d in docs for term in d)
    n = len(docs)

    def rank(query: str) -> list[str]:
        wanted = list(dict.fromkeys(terms(query)))
        scores = []
        for key, d, length in zip(keys, docs, lengths, strict=True):
            s = 0.0
            for t in wanted:
                if f := d.get(t):
                    idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                    s += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * length / average))
            if s > 0:
                scores.append((s, key))
        return [key for _, key in sorted(scores, reverse=True)]

    return rank


def dense_ranker(session: Session, ids: dict[str, uuid.UUID]) -> Ranker:
    """Plain dense retrieval: the whole query through the same MiniLM, exact cosine to each document."""
    import numpy as np

    keys, _, vectors = _documents(session, ids)
    matrix = np.array(vectors, dtype=np.float32)

    def rank(query: str) -> list[str]:
        similarity = matrix @ np.array(embeddings.embed_query(query), dtype=np.float32)
        return [keys[i] for i in np.argsort(-similarity)[: CUTOFF * 5]]

    return rank
