"""Benchmark of Twilio's inbound webhook under gunicorn, beside its floors.

    .venv/bin/python -m bench.sms_webhook                       # both engines (a few minutes)
    .venv/bin/python -m bench.sms_webhook --skip-postgresql     # SQLite only
    .venv/bin/python -m bench.sms_webhook --gunicorn="--worker-class gthread --threads 4"

gunicorn runs with deploy/gunicorn.conf.py and 4 workers, once per server, one after the
other in one run: bench/sms_webhook_bare.py (a constant TwiML answer, no database), the
one-INSERT floor (bench/sms_webhook_floor.py: the signature checked, the text stored by one
INSERT … ON CONFLICT DO NOTHING on the raw sqlite3/psycopg connection, committed, a constant
answer) and the real webhook (nghedan:create_app(): verify, store the raw text, answer empty
TwiML; the worker is not running, so nothing else competes), on SQLite and on PostgreSQL. A
second process (bench/sms_webhook_load.py) sends the same kind of signed requests to each at
32 concurrent clients, after a warm-up. Reported: requests a second, the webhook's as a
fraction of the floor's on the same engine (the figure that matters) and of the bare
route's, p50 and p99 latency, and the CPU time gunicorn's processes spent per request
(steadier than wall time on a shared machine; the database server's own CPU is not in it).

The end-to-end figures (reply latency with the worker running, the 5,000-text burst, kill -9
of the worker) are bench/sms_pipeline.py's.

Results go to stdout and bench/results/sms_webhook.json. PostgreSQL runs in a throwaway
cluster (tests/postgres.py): it needs the Debian server binaries and root.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from nghedan import create_app
from nghedan.database import unit_of_work, upgrade
from nghedan.extensions import db
from nghedan.models import Commune, Officer

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GUNICORN = Path(sys.executable).parent / "gunicorn"
TOKEN = "bench-twilio-auth-token-0123456789"
ACCOUNT_SID = "AC" + "b" * 32
SECRET = "bench-secret-key-" + "x" * 40
COMMUNE_NUMBER = "+84868000115"
WORKERS = 4
# Extra gunicorn arguments for every server of a run (the bare route's too, so the comparison
# stays fair), e.g. --gunicorn="--worker-class gthread --threads 4".
GUNICORN_EXTRA: list[str] = []
CONCURRENCY = 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str) -> None:
    """A migrated database with one commune (its SMS number) and officer 01."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    upgrade(app)
    with app.app_context():
        with unit_of_work():
            commune = Commune(code="bench", name="Tân Thạnh", sms_number=COMMUNE_NUMBER)
            db.session.add(commune)
            db.session.flush()
            db.session.add(Officer(commune_id=commune.id, code="01", name="Nguyễn Thị Lan"))
        db.engine.dispose()


class Gunicorn:
    """gunicorn with the deployment's settings, on a free loopback port, for one measurement."""

    def __init__(self, app_spec: str, env: dict, log: Path):
        self.app_spec, self.env, self.log = app_spec, env, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, **self.env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}"}
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                *GUNICORN_EXTRA,
                self.app_spec,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                time.sleep(1)  # let every worker boot
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and workers."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
        return total / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *_exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def texts(count: int, *, start: int = 0, rating_share: float = 0.0) -> list[tuple[str, str, str]]:
    """(MessageSid, sender, body) for `count` distinct texts, each from its own phone."""
    rng = random.Random(start)
    out = []
    for n in range(start, start + count):
        body = (
            f"DG 01 {rng.randint(1, 4)}"
            if rng.random() < rating_share
            else f"Đường ấp Tân Phú đoạn số {n} bị ngập nước, xin xã sửa giúp."
        )
        out.append((f"SM{n:032x}", f"+8491{n:07d}", body))
    return out


def signed_requests(port: int, messages) -> list[list[str]]:
    url = f"http://127.0.0.1:{port}/sms/twilio"
    validator = RequestValidator(TOKEN)
    requests = []
    for sid, sender, body in messages:
        params = {
            "MessageSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": sender,
            "To": COMMUNE_NUMBER,
            "Body": body,
            "NumMedia": "0",
        }
        requests.append(
            ["/sms/twilio", urlencode(params), validator.compute_signature(url, params)]
        )
    return requests


def drive(port: int, requests: list, concurrency: int = CONCURRENCY) -> dict:
    """Run the load process against `port`; its raw result."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "requests.json", Path(tmp) / "result.json"
        src.write_text(json.dumps(requests))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.sms_webhook_load",
                str(src),
                str(dst),
                "--port",
                str(port),
                "--concurrency",
                str(concurrency),
            ],
            cwd=ROOT,
            check=True,
            timeout=900,
        )
        return json.loads(dst.read_text())


def summary(result: dict) -> dict:
    latencies = sorted(result["latencies"])
    n = len(latencies)
    return {
        "requests": n,
        "seconds": round(result["seconds"], 2),
        "per_second": round(n / result["seconds"], 1),
        "p50_ms": round(latencies[n // 2] * 1000, 1),
        "p99_ms": round(latencies[min(n - 1, int(n * 0.99))] * 1000, 1),
        "non_200": sum(1 for s in result["statuses"] if s != 200),
    }


def server_env(url: str) -> dict:
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "SMS_BACKEND": "console",
        "WEB_CONCURRENCY": str(WORKERS),
    }


def throughput(tmp: Path, measured: int, warmup: int, postgresql_url: str | None) -> dict:
    """The webhook (SQLite, and PostgreSQL when given) against the bare route."""
    servers = [
        ("bare", "bench.sms_webhook_bare:app", f"sqlite:///{tmp / 'unused.db'}"),
        ("floor_sqlite", "bench.sms_webhook_floor:app", f"sqlite:///{tmp / 'floor.db'}"),
        ("webhook_sqlite", "nghedan:create_app()", f"sqlite:///{tmp / 'throughput.db'}"),
    ]
    if postgresql_url:
        servers += [
            ("floor_postgresql", "bench.sms_webhook_floor:app", postgresql_url),
            ("webhook_postgresql", "nghedan:create_app()", postgresql_url),
        ]
    out = {}
    for name, spec, url in servers:
        if name.startswith("webhook"):
            prepare_database(url)
        with Gunicorn(spec, server_env(url), tmp / f"gunicorn-{name}.log") as server:
            drive(server.port, signed_requests(server.port, texts(warmup, start=9_000_000)))
            requests = signed_requests(server.port, texts(measured))
            cpu_before, load_before = server.cpu_seconds(), os.getloadavg()[0]
            result = drive(server.port, requests)
            cpu = server.cpu_seconds() - cpu_before
        out[name] = summary(result) | {
            # gunicorn's own CPU per request, whatever else the machine is doing (the
            # database server's processes are not counted)
            "server_cpu_ms_per_request": round(cpu * 1000 / len(requests), 2),
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        }
        print(f"  {name:18} {out[name]}", flush=True)
    for name in out.copy():
        if name.startswith(("webhook", "floor")):
            out[f"{name}_share_of_bare"] = round(
                out[name]["per_second"] / out["bare"]["per_second"], 2
            )
    for engine in ("sqlite", "postgresql"):
        if f"webhook_{engine}" in out:
            out[f"webhook_{engine}_share_of_floor"] = round(
                out[f"webhook_{engine}"]["per_second"] / out[f"floor_{engine}"]["per_second"], 2
            )
    return out


def with_repeats(messages, share: float, rng: random.Random) -> list:
    """The messages shuffled, plus repeats of `share` of them 1–41 places after the original
    (with 32 clients, the nearest run concurrently with it)."""
    sequence = list(messages)
    rng.shuffle(sequence)
    for original in sorted(
        rng.sample(range(len(sequence)), int(len(sequence) * share)), reverse=True
    ):
        position = min(len(sequence), original + 1 + rng.randint(0, 40))
        sequence.insert(position, sequence[original])
    return sequence


def pg_database(cluster, name: str) -> str:
    """A new database in the throwaway cluster; its URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(cluster.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return cluster.url(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="measured per server")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--skip-postgresql", action="store_true")
    parser.add_argument("--gunicorn", default="", help="extra gunicorn arguments, for all servers")
    args = parser.parse_args()
    GUNICORN_EXTRA[:] = args.gunicorn.split()
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "workers": WORKERS,
        "gunicorn_extra": args.gunicorn,
        "concurrency": CONCURRENCY,
        "cpus": os.cpu_count(),
    }
    cluster = None
    if not args.skip_postgresql:
        from tests.postgres import ThrowawayCluster

        cluster = ThrowawayCluster().start()
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            print("throughput:", flush=True)
            pg_url = pg_database(cluster, "throughput") if cluster else None
            report["throughput"] = throughput(tmp, args.requests, args.warmup, pg_url)
    finally:
        if cluster:
            cluster.stop()
    (RESULTS / "sms_webhook.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
