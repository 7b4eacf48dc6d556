"""Verdict and pin benchmark: how fast the worker's sweep judges a library that was never judged (an
upgrade, or a rule pack's recheck marking every asset), how long a download's guard and a verdict
read take, and how long carrying pins to a new version of a banner takes.

    .venv/bin/python benchmarks/verdicts.py [--assets 2000] [--var-dir DIR]

Assets are inserted directly (each with a rights record, an approval and a compliance check) into a
throwaway data dir; the sweep then runs with its real per-turn budget until nothing is due.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_servers import embedded_servers


def _library(count: int) -> None:
    from sqlalchemy import insert

    from dam_app.assets.models import Asset, RightsRecord, Version
    from dam_app.db import session_scope
    from dam_app.review.compliance_models import ComplianceCheck
    from dam_app.review.models import Approval
    from dam_app.storage.models import Blob

    now = datetime.now(UTC)
    markets = (["NA"], ["CN"], ["EU", "NA"], ["JP"], ["GLOBAL"])
    with session_scope() as session:
        for start in range(0, count, 500):
            assets, versions, blobs, records, approvals, checks = [], [], [], [], [], []
            for n in range(start, min(count, start + 500)):
                asset_id, version_id, sha = uuid.uuid4(), uuid.uuid4(), uuid.uuid4().hex * 2
                blobs.append({"sha256": sha, "size": 1, "mime": "image/jpeg"})
                assets.append({"id": asset_id, "title": f"Bench {n}", "markets": markets[n % 5], "status": "ready"})
                versions.append(
                    {
                        "id": version_id,
                        "asset_id": asset_id,
                        "blob_sha256": sha,
                        "original_filename": f"b{n}.jpg",
                        "mime": "image/jpeg",
                        "size": 1,
                    }
                )
                records.append(
                    {
                        "asset_id": asset_id,
                        "source": "person",
                        "licensed_markets": ["NA", "EU", "CN"],
                        "licence_start": now - timedelta(days=30),
                        "licence_end": now + timedelta(days=n % 40),
                    }
                )
                approvals.append(
                    {
                        "asset_id": asset_id,
                        "version_id": version_id,
                        "market": markets[n % 5][0],
                        "stage": "legal",
                        "decision": "approved",
                        "note": "",
                    }
                )
                checks.append({"version_id": version_id, "asset_id": asset_id, "packs": {}})
            session.execute(insert(Blob), blobs)
            session.execute(insert(Asset), assets)
            session.execute(insert(Version), versions)
            for a, v in zip(assets, versions, strict=True):
                session.execute(Asset.__table__.update().where(Asset.id == a["id"]).values(current_version_id=v["id"]))
            session.execute(insert(RightsRecord), records)
            session.execute(insert(Approval), approvals)
            session.execute(insert(ComplianceCheck), checks)


def _sweep(count: int) -> None:
    from sqlmodel import func, select

    from dam_app.assets.models import Asset
    from dam_app.db import session_scope
    from dam_app.rights import jobs

    started = time.perf_counter()
    turns = judged = 0
    while True:
        done = jobs.sweep()
        turns += 1
        judged += done
        if done == 0:
            break
    elapsed = time.perf_counter() - started
    with session_scope() as session:
        left = session.exec(select(func.count()).select_from(Asset).where(Asset.verdicts == [])).one()
    print(
        f"sweep: {judged} assets judged in {elapsed:.1f} s over {turns} turns "
        f"({judged / elapsed:.0f} assets/s, {1000 * elapsed / max(1, judged):.1f} ms each); {left} left"
    )


def _reads() -> None:
    from sqlmodel import select

    from dam_app.accounts.principal import system_principal
    from dam_app.assets.models import Asset, Version
    from dam_app.db import session_scope
    from dam_app.rights import guard, verdicts

    principal = system_principal()
    with session_scope() as session:
        assets = session.exec(select(Asset).limit(200)).all()
        pairs = [(a, session.get(Version, a.current_version_id)) for a in assets]
        for label, work in (
            ("stored verdict (a download's guard)", lambda a, v: guard.verdicts_for(session, principal, a, v)),
            ("verdict judged now (the asset page)", lambda a, v: verdicts.judge_version(session, a, v)),
        ):
            times = []
            for asset, version in pairs:
                t0 = time.perf_counter()
                work(asset, version)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            print(f"{label}: p50 {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms")


def _pins() -> None:
    from dam_app.comments import anchors, carry
    from dam_app.demo import generate

    old, new = generate.offer_banner("30% OFF"), generate.offer_banner("40% OFF")
    recropped = old.crop((100, 0, 1200, 628)).resize((880, 553))
    box = anchors.Box(0.1, 0.46, 0.3, 0.18)  # the offer, from 120 px: inside the recropped one too
    for label, other in (("same framing (new offer)", new), ("recropped and scaled", recropped)):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            match = carry.PictureMatch(old, other)
            placed = match.place(box)
            times.append(time.perf_counter() - t0)
        print(
            f"pins, {label}: {statistics.median(times) * 1000:.0f} ms per version pair "
            f"({match.aligned.method}, score {match.aligned.score:.2f}; the offer pin is {placed.state})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--var-dir", type=Path, default=None)
    args = parser.parse_args()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="dam-verdict-bench-"))
    with embedded_servers(var_dir):
        t0 = time.perf_counter()
        _library(args.assets)
        print(f"{args.assets} assets inserted in {time.perf_counter() - t0:.1f} s")
        _sweep(args.assets)
        _reads()
    _pins()


if __name__ == "__main__":
    main()
