"""Benchmark of the report pages over 1,000,000 items and 500,000 ratings, on both engines.

    .venv/bin/python -m bench.reports                          # both engines, full size
    .venv/bin/python -m bench.reports --engine sqlite --items 100000 --ratings 50000

It loads one commune (the worst case: every row in the commune being reported on) with
30 hamlets, 40 officers at 8 desks, two years of items and ratings and two dialogues a week,
then times, with the pages' own code, the median and 90th percentile over --repeat runs of:

- each satisfaction query (per officer, per desk, trend by week, reasons, comments, alerts)
  and each activity query, for the last full quarter;
- the quarterly summary (`report_summary.quarterly_summary`);
- the whole HTTP pages (`GET /admin/reports/satisfaction`, `…/activity`, logged in) for the
  quarter, and for a whole year; the supervisor's landing (`GET /admin/supervision`) over
  two quarters;
- the CSV export of the per-officer table.

Results go to bench/results/reports-<engine>.json, with the load average before and after
the timings (the machine may be shared) and this process's CPU time per call. The
full-text search structures of the inbox (SQLite FTS5 triggers, the PostgreSQL trigram
index) are dropped before loading to make the load faster: no report reads them.
PostgreSQL runs in a throwaway cluster (tests/postgres.py), so it needs the Debian server
binaries and root.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from bench.harness import analyze, bench_database, insert_in_batches, load_average, timed
from nghedan.extensions import db
from nghedan.models import (
    Category,
    Commune,
    Dialogue,
    Hamlet,
    Item,
    Officer,
    Rating,
    User,
    dialogue_hamlets,
)
from nghedan.services.reports import activity as report_activity
from nghedan.services.reports import alerts as report_alerts
from nghedan.services.reports import satisfaction as reports
from nghedan.services.reports import summary as report_summary
from nghedan.services.reports import supervision as report_supervision
from nghedan.tracking_codes import damm_digit

RESULTS = Path(__file__).resolve().parent / "results"
END = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
START = END - timedelta(days=730)
QUARTER = reports.Period(date(2026, 7, 1), date(2026, 9, 30))
YEAR = reports.Period(date(2025, 10, 1), date(2026, 9, 30))
HALF_YEAR = reports.Period(date(2026, 4, 1), date(2026, 9, 30))  # the supervisor's landing
TEXTS = [
    f"Đề nghị xã xem xét việc số {n}: đường ấp ngập nước, đèn đường hư, rác thải "
    f"chưa được thu gom, người dân đi lại khó khăn."
    for n in range(500)
]
STATUSES = (
    ("new",) * 2
    + ("triaged",) * 3
    + (
        "scheduled",
        "answered",
        "answered",
        "closed",
        "closed",
        "forwarded",
        "escalated",
        "rejected",
        "duplicate",
    )
)
LEGAL = ("opinion",) * 17 + ("complaint", "question", "denunciation")
REASONS = ("attitude", "slow", "unclear_guidance", "extra_papers", "harassment")


def _drop_search_structures() -> None:
    if db.engine.dialect.name == "postgresql":
        statements = ("DROP INDEX IF EXISTS ix_items_text_folded_trgm",)
    else:
        statements = (
            "DROP TRIGGER IF EXISTS items_fts_insert",
            "DROP TRIGGER IF EXISTS items_fts_update",
            "DROP TRIGGER IF EXISTS items_fts_delete",
            "DROP TABLE IF EXISTS items_fts",
        )
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()


def _people(rng) -> tuple[int, list[int], list[int]]:
    commune = Commune(code="bench", name="Bench", kind="xa", province="Cần Thơ")
    commune.hamlets = [Hamlet(name=f"Ấp {k}") for k in range(1, 31)]
    db.session.add(commune)
    db.session.flush()
    officers = [
        Officer(
            commune_id=commune.id,
            code=f"{k:02d}",
            name=f"Nguyễn Văn Cán Bộ {k}",
            desk=f"Quầy {k % 8 + 1}",
        )
        for k in range(1, 41)
    ]
    db.session.add_all(officers)
    db.session.add(User(username="bench", role="officer", commune_id=commune.id, password_hash="x"))
    db.session.flush()
    db.session.commit()
    return commune.id, [h.id for h in commune.hamlets], [o.id for o in officers]


def _dialogues(commune_id: int, hamlets: list[int], rng) -> list[tuple[int, datetime]]:
    """Two dialogues a week over the two years, in rotation over the hamlets."""
    out = []
    when, k = START + timedelta(days=3), 0
    while when < END:
        held = when < END - timedelta(days=7)
        published = when + timedelta(days=rng.randint(2, 12)) if rng.random() < 0.85 else None
        dialogue = Dialogue(
            commune_id=commune_id,
            place="Nhà văn hóa",
            starts_at=when,
            status="held" if held else "planned",
            attendance=rng.randint(30, 150) if held else None,
            held_at=when if held else None,
            notice_published_at=published if held else None,
        )
        db.session.add(dialogue)
        db.session.flush()
        db.session.execute(
            insert(dialogue_hamlets),
            [{"dialogue_id": dialogue.id, "hamlet_id": hamlets[k % len(hamlets)]}],
        )
        out.append((dialogue.id, when))
        when += timedelta(days=3 if k % 2 == 0 else 4)
        k += 1
    db.session.commit()
    return out


def _items(n, commune_id, hamlets, categories, dialogues, rng):
    step = (END - START) / n
    for i in range(1, n + 1):
        created = START + step * i
        status = rng.choice(STATUSES)
        row = {
            "tracking_code": f"{i:07d}" + str(damm_digit(f"{i:07d}")),
            "channel": rng.choice(("sms", "sms", "kiosk", "admin", "api")),
            "commune_id": commune_id,
            "hamlet_id": rng.choice(hamlets),
            "category_id": rng.choice(categories),
            "legal_type": rng.choice(LEGAL),
            "text": rng.choice(TEXTS),
            "text_folded": "",
            "status": status,
            "flagged": False,
            "created_at": created,
            "updated_at": created,
            "dialogue_id": None,
            "outcome": None,
            "answered_at": None,
            "due_date": None,
        }
        if status in ("answered", "closed"):
            row["answered_at"] = created + timedelta(days=rng.randint(1, 40))
            if rng.random() < 0.6:
                index = min(
                    len(dialogues) - 1, int((created - START) / (END - START) * len(dialogues)) + 2
                )
                row["dialogue_id"] = dialogues[index][0]
                row["outcome"] = "resolved"
        if status in ("triaged", "forwarded") and rng.random() < 0.5:
            row["due_date"] = (created + timedelta(days=rng.randint(5, 30))).date()
        yield row


def _ratings(n, commune_id, officers, rng):
    step = (END - START) / n
    for i in range(1, n + 1):
        score = rng.choices((1, 2, 3, 4), weights=(55, 30, 10, 5))[0]
        reasons = rng.sample(REASONS, rng.randint(1, 2)) if score >= 3 else []
        yield {
            "commune_id": commune_id,
            "officer_id": rng.choice(officers),
            "score": score,
            "reasons": reasons,
            "channel": "kiosk" if rng.random() < 0.7 else "sms",
            "comment": "Cán bộ hướng dẫn tận tình." if rng.random() < 0.02 else None,
            "created_at": START + step * i,
        }


def load(app, items: int, ratings: int) -> int:
    rng = random.Random(20261123)
    with app.app_context():
        _drop_search_structures()
        commune_id, hamlets, officers = _people(rng)
        categories = list(db.session.scalars(select(Category.id)))
        dialogues = _dialogues(commune_id, hamlets, rng)
        insert_in_batches(Item, _items(items, commune_id, hamlets, categories, dialogues, rng))
        insert_in_batches(Rating, _ratings(ratings, commune_id, officers, rng))
        return commune_id


def measure_queries(app, commune_id: int, repeat: int) -> dict:
    ids, now = [commune_id], END
    cases = {
        "satisfaction_per_officer": lambda: reports.satisfaction(ids, QUARTER),
        "satisfaction_per_desk": lambda: reports.satisfaction(ids, QUARTER, group="desk"),
        "satisfaction_sms_only": lambda: reports.satisfaction(ids, QUARTER, channel="sms"),
        "trend_by_week": lambda: reports.rating_trend(ids, QUARTER, unit="week"),
        "reasons": lambda: reports.reason_counts(ids, QUARTER),
        "comments": lambda: reports.rating_comments(ids, QUARTER),
        "alerts": lambda: report_alerts.satisfaction_alerts(ids, now),
        "dialogue_figures": lambda: report_activity.dialogue_figures(ids, QUARTER),
        "item_figures": lambda: report_activity.item_figures(ids, QUARTER, now),
        "item_tally": lambda: report_activity.item_tally(ids, QUARTER, now),
        "hamlets_without_dialogue": lambda: report_activity.hamlets_without_dialogue(ids, QUARTER),
        "quarterly_summary": lambda: report_summary.quarterly_summary(ids, QUARTER, now),
        "quarterly_summary_year": lambda: report_summary.quarterly_summary(ids, YEAR, now),
        "supervision_watch_list": lambda: report_supervision.watch_list(ids, HALF_YEAR, now),
    }
    out = {}
    with app.test_request_context():
        for name, fn in cases.items():

            def run(fn=fn):
                fn()
                db.session.rollback()

            out[name] = timed(run, repeat)
    return out


def measure_http(app, repeat: int) -> dict:
    client = app.test_client()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bench"))
        session_id = f"{user.id}:{user.session_epoch}"
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    quarter = "quarter=2026-Q3"
    year = "from=2025-10-01&to=2026-09-30"
    pages = {
        "http_satisfaction_quarter": f"/admin/reports/satisfaction?{quarter}",
        "http_satisfaction_quarter_desk_week": f"/admin/reports/satisfaction?{quarter}"
        "&group=desk&unit=week",
        "http_satisfaction_year": f"/admin/reports/satisfaction?{year}",
        "http_activity_quarter": f"/admin/reports/activity?{quarter}",
        "http_activity_year": f"/admin/reports/activity?{year}",
        "http_supervision": "/admin/supervision?from=2026-04-01&to=2026-09-30",
        "http_export_officers_csv": f"/admin/reports/satisfaction.csv?{quarter}&table=officer",
    }
    out = {}
    for name, url in pages.items():

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            response.get_data()

        out[name] = timed(get, repeat)
    return out


def run_engine(engine: str, items: int, ratings: int, repeat: int) -> dict:
    with bench_database(engine, "nghedan-bench-reports-") as app:
        t0 = time.perf_counter()
        commune_id = load(app, items, ratings)
        analyze(app)
        load_s = round(time.perf_counter() - t0, 1)
        print(f"{engine}: loaded {items:,} items and {ratings:,} ratings in {load_s} s", flush=True)
        result = {
            "engine": engine,
            "items": items,
            "ratings": ratings,
            "repeat": repeat,
            "load_seconds": load_s,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_average_before": load_average(),
        }
        result["queries"] = measure_queries(app, commune_id, repeat)
        result["pages"] = measure_http(app, repeat)
        result["load_average_after"] = load_average()
        return result


def summary_lines(result: dict) -> list[str]:
    """One line per measure: median, p90 and this process's CPU per call, in ms."""
    lines = [
        f"{result['engine']}: {result['items']:,} items, {result['ratings']:,} ratings, "
        f"load average {result['load_average_before']} -> {result['load_average_after']}"
    ]
    for group in ("pages", "queries"):
        for name, t in result[group].items():
            lines.append(
                f"  {name:40s} {t['median_ms']:8.1f} {t['p90_ms']:8.1f} {t['cpu_median_ms']:8.1f}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--ratings", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    for engine in engines:
        result = run_engine(engine, args.items, args.ratings, args.repeat)
        (RESULTS / f"reports-{engine}.json").write_text(json.dumps(result, indent=2))
        print("\n".join(["  median, p90, cpu (ms)", *summary_lines(result)]), flush=True)


if __name__ == "__main__":
    main()
