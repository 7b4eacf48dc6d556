"""`python -m dam_app.worker [--alerts-only] [--sweep-every SECONDS]`: the same as `dam worker`."""

import argparse

from dam_app.worker.run import run_worker
from dam_app.worker.sweeper import SWEEP_INTERVAL_S

if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m dam_app.worker")
    parser.add_argument("--burst", action="store_true", help="Exit when the queue is empty")
    parser.add_argument(
        "--sweep-every", type=int, default=SWEEP_INTERVAL_S, help="Seconds between sweeps for lost jobs"
    )
    parser.add_argument("--alerts-only", action="store_true", help="Send alerts only (a light second worker)")
    args = parser.parse_args()
    run_worker(burst=args.burst, alerts_only=args.alerts_only, sweep_every=max(1, args.sweep_every))
