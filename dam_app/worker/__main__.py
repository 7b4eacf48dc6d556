"""`python -m dam_app.worker`: the same as `dam worker`."""

from dam_app.worker.run import run_worker

if __name__ == "__main__":
    run_worker()
