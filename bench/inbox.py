"""Benchmark of the admin inbox over 1,000,000 items, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.inbox                     # both engines, 1,000,000 items
    .venv/bin/python -m bench.inbox --engine sqlite --rows 200000

For each engine it loads the items into a fresh, migrated database (one commune, the worst
case for the inbox), then times, with the inbox's own query code (nghedan.services.items.search):

- the first page (newest 50 of the commune);
- a filtered page deep in the list (status + category, after 50,000 matching rows);
- a diacritics-free search matching about 0.1% of the rows (`tram bom` for "trạm bơm");
- the counts per status shown above the list;
- the whole HTTP page (`GET /admin/items`, logged in), for the first page and the search;

each beside the floor: a plain SELECT of the same rows by primary key. It prints the
median and the 90th percentile over --repeat runs and writes bench/results/inbox-<engine>.json.
PostgreSQL runs in a throwaway cluster (tests/postgres.py), so it needs the Debian
server binaries and root (to run it as the `postgres` user).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from bench.harness import analyze, bench_database, insert_in_batches, timed
from nghedan.extensions import db
from nghedan.models import Category, Commune, Hamlet, Item, User
from nghedan.services.items import search
from nghedan.text import fold_diacritics
from nghedan.tracking_codes import damm_digit

RESULTS = Path(__file__).resolve().parent / "results"
WORDS = (
    "đường ấp bị ngập nước xin xã cho sửa lại đèn điện hư lâu ngày người dân đi lại khó khăn "
    "rác thải kênh mương bốc mùi hôi đề nghị thu gom hồ sơ đất đai cấp giấy chứng nhận chậm "
    "trợ cấp người cao tuổi hộ nghèo cận nghèo trường học mái dột trạm y tế thiếu thuốc "
    "thanh niên chạy xe lạng lách ban đêm tiền đền bù giải phóng mặt bằng chưa chi trả "
    "hàng rào lấn đất hàng xóm tiêm phòng dại chó mèo cống thoát nước nghẹt cầu tre yếu"
).split()
RARE = "trạm bơm"  # in about 0.1% of the rows; no other word folds to "tram" or "bom"
STATUSES = (
    ("new",) * 3
    + ("triaged",) * 3
    + ("scheduled", "answered", "closed", "closed", "forwarded", "rejected", "duplicate")
)


def item_rows(n: int, commune_id: int, hamlets: list[int], categories: list[int], rng):
    """`n` item rows, oldest first, spread over two years."""
    start = datetime(2024, 11, 1, tzinfo=UTC)
    step = timedelta(days=730) / n
    for i in range(1, n + 1):
        words = rng.choices(WORDS, k=rng.randint(8, 30))
        if rng.random() < 0.001:
            words.insert(rng.randrange(len(words)), RARE)
        body = " ".join(words).capitalize() + "."
        created = start + step * i
        code = f"{i:07d}"
        yield {
            "tracking_code": code + str(damm_digit(code)),
            "channel": rng.choice(("sms", "sms", "kiosk", "admin")),
            "commune_id": commune_id,
            "hamlet_id": rng.choice(hamlets),
            "category_id": rng.choice(categories),
            "legal_type": "opinion",
            "text": body,
            "text_folded": fold_diacritics(body),
            "status": rng.choice(STATUSES),
            "flagged": False,
            "created_at": created,
            "updated_at": created,
        }


def load(app, n: int) -> int:
    """Fill the database; returns the commune's id."""
    rng = random.Random(20261123)
    with app.app_context():
        commune = Commune(code="bench", name="Xã Bench")
        commune.hamlets = [Hamlet(name=f"Ấp {k}") for k in range(1, 31)]
        db.session.add(commune)
        db.session.flush()
        db.session.add(
            User(username="bench", role="officer", commune_id=commune.id, password_hash="x")
        )
        hamlets = [h.id for h in commune.hamlets]
        categories = list(db.session.scalars(select(Category.id)))
        db.session.commit()
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:  # build the trigram index once after the load, not row by row
            db.session.execute(text("DROP INDEX ix_items_text_folded_trgm"))
        insert_in_batches(Item, item_rows(n, commune.id, hamlets, categories, rng))
        if postgres:
            db.session.execute(
                text(
                    "CREATE INDEX ix_items_text_folded_trgm ON items "
                    "USING gin (text_folded gin_trgm_ops)"
                )
            )
            db.session.commit()
        return commune.id


def floor_for(ids: list[int]):
    """A plain SELECT of the same rows by primary key."""

    def run():
        db.session.execute(select(Item).where(Item.id.in_(ids))).all()
        db.session.rollback()

    return run


def measure(app, commune_id: int, repeat: int) -> dict:
    results = {}
    with app.app_context():
        base = search.ItemFilter(commune_ids=(commune_id,))
        triaged = search.ItemFilter(
            commune_ids=(commune_id,),
            status="triaged",
            category_id=db.session.scalar(select(Category.id).limit(1)),
        )
        matching = db.session.scalar(
            select(db.func.count(Item.id)).where(*search.conditions(triaged))
        )
        deep = db.session.execute(
            select(Item.created_at, Item.id)
            .where(*search.conditions(triaged))
            .order_by(Item.created_at.desc(), Item.id.desc())
            .offset(min(50_000, matching // 2))
            .limit(1)
        ).one()
        cursor = search.Cursor(deep.created_at, deep.id)
        found = search.ItemFilter(commune_ids=(commune_id,), q="tram bom")
        cases = {
            "first_page": lambda: search.page(base, size=50),
            "filtered_deep_page": lambda: search.page(triaged, after=cursor, size=50),
            "search_0.1pct": lambda: search.page(found, size=50),
        }
        for name, fn in cases.items():

            def run(fn=fn):
                fn()
                db.session.rollback()

            ids = [i.id for i in fn().items]
            results[name] = {
                "rows": len(ids),
                **timed(run, repeat, digits=2),
                "floor": timed(floor_for(ids), repeat, digits=2),
            }
        results["search_0.1pct"]["matches"] = db.session.scalar(
            select(db.func.count(Item.id)).where(*search.conditions(found))
        )
        results["status_counts"] = timed(
            lambda: (search.status_counts(base), db.session.rollback()), max(3, repeat // 4)
        )
    results.update(measure_http(app, repeat))
    return results


def measure_http(app, repeat: int) -> dict:
    client = app.test_client()
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "bench"))
        epoch = db.session.scalar(select(User.session_epoch).where(User.id == user_id))
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{epoch}"
        session["_fresh"] = True
    out = {}
    for name, url in (
        ("http_first_page", "/admin/items"),
        ("http_search", "/admin/items?q=tram+bom"),
    ):

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        out[name] = timed(get, max(3, repeat // 4))
    return out


def run_engine(engine: str, rows: int, repeat: int) -> dict:
    with bench_database(engine, "nghedan-bench-") as app:
        t0 = time.perf_counter()
        commune_id = load(app, rows)
        analyze(app)
        load_s = round(time.perf_counter() - t0, 1)
        print(f"{engine}: loaded {rows:,} items in {load_s} s", flush=True)
        return {
            "engine": engine,
            "rows": rows,
            "repeat": repeat,
            "load_seconds": load_s,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **measure(app, commune_id, repeat),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    for engine in engines:
        result = run_engine(engine, args.rows, args.repeat)
        (RESULTS / f"inbox-{engine}.json").write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2), flush=True)


if __name__ == "__main__":
    main()
