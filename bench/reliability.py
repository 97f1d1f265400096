"""Reliability bench: the fault scenarios of tests/ops at full size, on PostgreSQL.

    .venv/bin/python -m bench.reliability                 # everything (about 15 minutes)
    .venv/bin/python -m bench.reliability --only api      # or baseline kill database hang drop

Each scenario runs the production stack as processes (tests/ops/stack.py: gunicorn with
deploy/gunicorn.conf.py and NGHEDAN_ENV=production, `nghedan outbox work`, a fake Twilio API
on loopback) against a fresh PostgreSQL database, sends a burst of signed webhooks from a
bounded pool of client threads (each delivery retried with the same MessageSid after a 5xx or
a broken connection, as Twilio does with connection overrides) while another process queues
outgoing SMS, and injects its fault in the middle of the burst:

- baseline: no fault (the load the stack holds);
- kill: kill -9 of the outbox worker right after Twilio accepted a message, and of two
  gunicorn workers mid-burst;
- database: PostgreSQL stopped for 30 s;
- api: the SMS API answers 500 to every send for 60 s;
- hang, drop: for 60 s the SMS API accepts every send but its answer is lost (never comes
  before the client's timeout, or the connection drops); each must be looked up, not resent.

Then it counts: webhooks accepted and stored exactly once, deliveries retried, outbound SMS
sent once / twice / never (at the fake API, by To and Body). Results go to stdout and
bench/results/reliability.json; docs/RELIABILITY.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tests.ops.scenarios import (
    Burst,
    Load,
    database_outage,
    kill_workers,
    sms_api_outage,
    sms_api_unanswered,
    summary,
)
from tests.ops.stack import Stack, create_database
from tests.postgres import ThrowawayCluster

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WEB_WORKERS = 4
# A dead worker's claimed messages come back after 30 s here (120 s by default).
SETTINGS = {"OUTBOX_CLAIM_MIN_SECONDS": 30}
SCENARIOS = ["baseline", "kill", "database", "api", "hang", "drop"]


def baseline(stack: Stack, load: Load) -> dict:
    with Burst(stack, load, series=4) as burst:
        pass
    return burst.result()


def run(name: str, cluster: ThrowawayCluster, tmp: Path, load: Load) -> dict:
    database = f"reliability_{name}_{uuid.uuid4().hex[:6]}"
    create_database(cluster.admin_url, database)
    logs = tmp / name
    logs.mkdir()
    settings = dict(SETTINGS)
    if name in ("hang", "drop"):  # the client gives up after 1 s; retries within seconds
        settings.update(TWILIO_TIMEOUT_SECONDS=1, OUTBOX_BACKOFF_BASE_SECONDS=4)
    if name == "database":  # still sending when the database goes away
        settings["OUTBOX_SEND_RATE_PER_SECOND"] = max(1, load.outbound // 60)
    stack = Stack(cluster.url(database), logs, web_workers=WEB_WORKERS, settings=settings)
    started = time.monotonic()
    try:
        stack.start()
        if name == "kill":
            result = kill_workers(stack, load)
        elif name == "database":
            result = database_outage(stack, cluster, load, seconds=30)
        elif name == "api":
            result = sms_api_outage(stack, load, seconds=60)
        elif name in ("hang", "drop"):
            result = sms_api_unanswered(stack, load, mode=f"accept-{name}", seconds=60)
        else:
            result = baseline(stack, load)
    finally:
        stack.stop()
    result["scenario_seconds"] = round(time.monotonic() - started, 1)
    out = summary(name, result)
    print(json.dumps(out), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=1000, help="webhooks per scenario")
    parser.add_argument("--outbound", type=int, default=300, help="SMS queued per scenario")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--only", choices=SCENARIOS)
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so every process and the PostgreSQL cluster are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load = Load(texts=args.texts, outbound=args.outbound, concurrency=args.concurrency)
    names = [args.only] if args.only else SCENARIOS
    report = {
        "cpus": os.cpu_count(),
        "web_workers": WEB_WORKERS,
        "load": load.__dict__,
        "settings": SETTINGS,
        "scenarios": [],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "reliability.json"
    if args.only and path.exists():  # one scenario again: keep the others' last results
        report["scenarios"] = [
            s for s in json.loads(path.read_text())["scenarios"] if s["scenario"] != args.only
        ]
    with tempfile.TemporaryDirectory() as tmpdir:
        for name in names:
            cluster = ThrowawayCluster().start()  # its own, since one scenario stops it
            try:
                report["scenarios"].append(run(name, cluster, Path(tmpdir), load))
            finally:
                cluster.stop()
    report["messages_lost"] = sum(
        s["inbound_lost"] + s["outbound_never_sent"] for s in report["scenarios"]
    )
    report["sent_twice"] = sum(s["outbound_sent_twice_or_more"] for s in report["scenarios"])
    report["scenarios"].sort(key=lambda s: SCENARIOS.index(s["scenario"]))
    path.write_text(json.dumps(report, indent=2))
    print(json.dumps({k: report[k] for k in ("messages_lost", "sent_twice")}))


if __name__ == "__main__":
    main()
