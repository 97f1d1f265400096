"""What the benchmarks share: a throwaway database of either engine, ANALYZE, timing."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import insert

from nghedan import create_app
from nghedan.database import upgrade
from nghedan.extensions import db

BATCH = 20_000


def bench_app(url: str):
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-" + "x" * 40,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )


@contextmanager
def bench_database(engine: str, prefix: str):
    """A migrated app on a fresh SQLite file or throwaway PostgreSQL; removed afterwards."""
    cluster = None
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    if engine == "sqlite":
        url = f"sqlite:///{tmp}/bench.db"
    else:
        from tests.postgres import ThrowawayCluster

        cluster = ThrowawayCluster().start()
        url = cluster.url("postgres")
    try:
        app = bench_app(url)
        upgrade(app)
        yield app
        with app.app_context():
            db.engine.dispose()
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)  # a loaded SQLite file is hundreds of MB


def insert_in_batches(model, rows) -> None:
    """Bulk-insert generated rows, BATCH at a time (memory stays flat), then commit."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(model), batch)
            batch.clear()
    if batch:
        db.session.execute(insert(model), batch)
    db.session.commit()


def analyze(app) -> None:
    with app.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE" if conn.dialect.name == "sqlite" else "VACUUM ANALYZE")


def timed(fn, repeat: int, digits: int = 1) -> dict:
    """Median and p90 of `repeat` calls in ms, after one warm-up call (a working server).

    `cpu_median_ms` is this process's CPU time per call: on a shared machine it moves much
    less than the elapsed time. With SQLite the queries run in this process, so it covers
    them; with PostgreSQL it leaves out the server's work.
    """
    fn()
    samples, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), digits),
        "p90_ms": round(samples[max(0, int(len(samples) * 0.9) - 1)], digits),
        "cpu_median_ms": round(statistics.median(cpu), digits),
    }


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (how busy the shared machine was)."""
    return [round(x, 2) for x in os.getloadavg()]
