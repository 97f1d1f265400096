"""Report queries on SQLite and PostgreSQL: satisfaction, trend, alerts, activity, summary."""

from __future__ import annotations

from datetime import date, timedelta

from nghedan.services.reports import activity as report_activity
from nghedan.services.reports import alerts as report_alerts
from nghedan.services.reports import satisfaction as reports
from nghedan.services.reports import summary as report_summary
from tests.factories import make_commune, make_item, make_officer
from tests.reports.builders import add_dialogue, add_ratings, at

Q4 = reports.Period(date(2026, 10, 1), date(2026, 12, 31))


def test_periods_are_local_quarters():
    assert reports.quarter_of(date(2026, 11, 23)) == Q4
    assert reports.quarter_of(date(2026, 2, 28)) == reports.Period(
        date(2026, 1, 1), date(2026, 3, 31)
    )
    begin, after = Q4.bounds
    # Midnight in Vietnam (UTC+7) is 17:00 UTC the day before.
    assert (begin.isoformat(), after.isoformat()) == (
        "2026-09-30T17:00:00+00:00",
        "2026-12-31T17:00:00+00:00",
    )
    assert reports.is_quarter(Q4) and not reports.is_quarter(reports.Period(Q4.start, Q4.start))


def test_levels_index_needs_ten_ratings():
    assert reports.Levels((5, 3, 1, 1)).index == 0.8
    assert reports.Levels((5, 3, 1, 0)).index is None
    assert not reports.Levels((5, 3, 1, 0)).enough


def test_satisfaction_per_officer_desk_and_commune(db):
    commune = make_commune()
    lan = make_officer(commune, "01", "Nguyễn Thị Lan", desk="Quầy 1")
    an = make_officer(commune, "02", "Trần Văn An", desk="Quầy 1")
    binh = make_officer(commune, "03", "Lê Văn Bình", desk="Quầy 2")
    add_ratings(lan, [1] * 6 + [2] * 2 + [3, 4], at("2026-10-05"), reasons=["slow"])
    add_ratings(lan, [4], at("2026-10-06"), channel="sms", reasons=["attitude", "slow"])
    add_ratings(an, [1, 2, 3], at("2026-11-01"))
    add_ratings(binh, [1] * 10, at("2026-09-30", hour=18))  # 01/10 01:00 local: in Q4
    add_ratings(binh, [4] * 5, at("2026-09-30", hour=16))  # 30/09 23:00 local: Q3
    by_officer = {r.label: r for r in reports.satisfaction([commune.id], Q4)}
    assert by_officer["Nguyễn Thị Lan"].levels.counts == (6, 2, 1, 2)
    assert round(by_officer["Nguyễn Thị Lan"].levels.index, 3) == round(8 / 11, 3)
    assert by_officer["Trần Văn An"].levels.index is None  # 3 ratings: not enough
    assert by_officer["Lê Văn Bình"].levels.counts == (10, 0, 0, 0)
    # Sorted by given name: An, Bình, Lan.
    assert [r.label for r in reports.satisfaction([commune.id], Q4)] == [
        "Trần Văn An",
        "Lê Văn Bình",
        "Nguyễn Thị Lan",
    ]
    desks = {r.label: r.levels.counts for r in reports.satisfaction([commune.id], Q4, group="desk")}
    assert desks == {"Quầy 1": (7, 3, 2, 2), "Quầy 2": (10, 0, 0, 0)}
    (whole,) = reports.satisfaction([commune.id], Q4, group="commune")
    assert whole.levels.total == 24
    sms = reports.satisfaction([commune.id], Q4, channel="sms")
    assert [(r.label, r.levels.counts) for r in sms] == [("Nguyễn Thị Lan", (0, 0, 0, 1))]
    assert reports.reason_counts([commune.id], Q4) == [("slow", 3), ("attitude", 1)]
    assert reports.reason_counts([commune.id], Q4, channel="kiosk") == [("slow", 2)]


def test_trend_by_week_and_month_in_local_time(db):
    commune = make_commune()
    lan = make_officer(commune)
    add_ratings(lan, [1, 1], at("2026-11-02"))  # Monday
    add_ratings(lan, [3], at("2026-11-08"))  # Sunday: same week
    add_ratings(lan, [2], at("2026-11-08", hour=18))  # Monday 09/11 01:00 local
    add_ratings(lan, [4], at("2026-10-31", hour=18))  # 01/11 local
    weeks = reports.rating_trend([commune.id], Q4, unit="week", minimum=1)
    assert [(p.bucket, p.levels.counts) for p in weeks] == [
        (date(2026, 10, 26), (0, 0, 0, 1)),
        (date(2026, 11, 2), (2, 0, 1, 0)),
        (date(2026, 11, 9), (0, 1, 0, 0)),
    ]
    months = reports.rating_trend([commune.id], Q4, unit="month", officer_id=lan.id)
    assert [(p.bucket, p.levels.total) for p in months] == [(date(2026, 11, 1), 5)]


def test_comments_newest_first_without_phone(db):
    commune = make_commune()
    lan = make_officer(commune)
    add_ratings(lan, [4], at("2026-10-02"), comment="Chờ quá lâu")
    add_ratings(lan, [1], at("2026-10-03"), comment="Cán bộ tận tình")
    add_ratings(lan, [1], at("2026-10-04"))
    comments = reports.rating_comments([commune.id], Q4)
    assert [(c.comment, c.score, c.officer) for c in comments] == [
        ("Cán bộ tận tình", 1, "Nguyễn Thị Lan"),
        ("Chờ quá lâu", 4, "Nguyễn Thị Lan"),
    ]


def test_alerts_for_a_sharp_drop_and_a_cluster(db):
    commune = make_commune()
    lan = make_officer(commune, "01", "Nguyễn Thị Lan")
    an = make_officer(commune, "02", "Trần Văn An")
    steady = make_officer(commune, "03", "Lê Văn Bình")
    now = at("2026-11-23", hour=9)
    add_ratings(lan, [1] * 18 + [3] * 2, now - timedelta(days=60))  # 90% before
    add_ratings(lan, [1] * 7 + [4] * 3, now - timedelta(days=20))  # 70% lately
    add_ratings(an, [4] * 5 + [1] * 2, now - timedelta(days=2))  # a cluster
    add_ratings(steady, [1] * 12, now - timedelta(days=60))
    add_ratings(steady, [1] * 11 + [4], now - timedelta(days=10))
    alerts = report_alerts.satisfaction_alerts([commune.id], now)
    assert [(a.kind, a.officer) for a in alerts] == [
        ("drop", "Nguyễn Thị Lan"),
        ("cluster", "Trần Văn An"),
    ]
    drop = alerts[0]
    assert (round(drop.before, 2), round(drop.now, 2)) == (0.9, 0.7)
    assert (alerts[1].low, alerts[1].total) == (5, 7)


def test_activity_and_the_quarterly_summary(db):
    commune = make_commune("Tân Thạnh", hamlets=("Ấp Tân Phú", "Ấp Tân Hòa", "Ấp Mới"))
    phu, hoa, moi = sorted(commune.hamlets, key=lambda h: h.name)[::-1][:3]
    first = add_dialogue(
        commune, [phu], at("2026-10-10"), attendance=1200, published=at("2026-10-13")
    )
    add_dialogue(commune, [hoa], at("2026-11-10"), attendance=550)
    add_dialogue(commune, [moi], at("2026-12-20"), status="planned")
    add_dialogue(commune, [moi], at("2026-10-20"), status="cancelled")
    items = [
        make_item(commune, f"Ý kiến số {n}", channel="sms" if n % 2 else "kiosk", hamlet_id=phu.id)
        for n in range(6)
    ]
    for item in items:
        item.created_at = at("2026-10-05")
    answered = items[0]
    answered.dialogue_id, answered.outcome = first.id, "resolved"
    answered.status, answered.answered_at = "answered", at("2026-10-10")
    late = items[1]
    late.status, late.answered_at = "answered", at("2026-12-20")
    items[2].status = "escalated"
    items[3].status, items[3].due_date = "triaged", date(2026, 10, 20)
    items[4].status = "rejected"
    make_item(commune, "Ngoài kỳ").created_at = at("2026-09-01")
    add_ratings(make_officer(commune), [1] * 7 + [3] * 1, at("2026-10-05"))
    add_ratings(make_officer(commune, "02", "Trần Văn An"), [2, 2], at("2026-10-05"))
    db.flush()

    (row,) = report_activity.activity([commune.id], Q4, now=at("2026-11-23"))
    d, i = row.dialogues, row.items
    # Planned: every dialogue planned for the quarter, held and cancelled ones included.
    assert (d.planned, d.held, d.cancelled, d.attendance, d.notices) == (4, 2, 1, 1750, 1)
    assert round(d.notice_delay_days) == 3 and d.without_notice == d.notices_missing == 1
    assert (i.received, i.answered, i.answered_at_dialogue, i.on_time) == (5, 2, 1, 1)
    # Overdue: the triaged item past its due date, and new/escalated items past 15 days.
    assert (i.overdue, i.escalated_open) == (3, 1)
    assert row.hamlets_without_dialogue == ["Ấp Mới"]
    tally = report_activity.item_tally([commune.id], Q4, now=at("2026-11-23"))
    assert tally.breakdown("channel") == [("sms", 3), ("kiosk", 2)]
    assert tally.breakdown("hamlet") == [("Ấp Tân Phú", 5)]
    assert tally.figures() == {commune.id: i}
    summary = report_summary.quarterly_summary([commune.id], Q4, now=at("2026-11-23"))
    assert summary.text.startswith(
        "Quý IV năm 2026, xã Tân Thạnh đã tổ chức 2 trong 4 cuộc đối thoại theo kế hoạch, "
        "1.750 lượt người tham dự. Trong đó: 1 cuộc đã hủy; 1 cuộc chưa đến ngày."
    )
    assert "Thông báo kết luận: 1 ban hành đúng hạn, 0 ban hành trễ hạn, 1 quá hạn" in summary.text
    assert "Tiếp nhận 5 ý kiến, kiến nghị của người dân; đã trả lời 2 ý kiến (đạt 40%)" in (
        summary.text
    )
    assert "Chỉ số hài lòng của người dân đối với cán bộ, công chức đạt 90%" in summary.text


def test_two_communes_figures_apart_breakdowns_together(db):
    """Figures per commune, breakdowns over the whole scope; rejected and other periods out."""
    east = make_commune("Tân Thạnh", hamlets=("Ấp Một", "Ấp Hai"))
    west = make_commune("Mỹ Hòa", hamlets=("Ấp Ba",))
    mot, ba = [h for h in east.hamlets if h.name == "Ấp Một"][0], west.hamlets[0]
    made = [
        make_item(east, "Đường ngập", channel="sms", hamlet_id=mot.id, category_code="roads"),
        make_item(
            east,
            "Đường hư",
            channel="sms",
            hamlet_id=mot.id,
            category_code="roads",
            legal_type="complaint",
        ),
        make_item(east, "Không rõ ấp", channel="kiosk", category_code="land"),
        make_item(west, "Rác thải", channel="sms", hamlet_id=ba.id, category_code="environment"),
        make_item(west, "Quảng cáo", channel="sms", hamlet_id=ba.id),
        make_item(west, "Năm ngoái", channel="admin", hamlet_id=ba.id),
    ]
    for item in made:
        item.created_at = at("2026-10-05")
    made[0].status, made[0].answered_at = "answered", at("2026-10-09")
    made[3].status = "escalated"
    made[4].status = "rejected"
    made[5].created_at = at("2025-10-05")
    db.flush()
    now = at("2026-11-23")
    ids = [east.id, west.id]

    figures = report_activity.item_figures(ids, Q4, now)
    assert (figures[east.id].received, figures[east.id].answered, figures[east.id].on_time) == (
        3,
        1,
        1,
    )
    assert (figures[west.id].received, figures[west.id].escalated_open) == (1, 1)
    tally = report_activity.item_tally(ids, Q4, now)
    assert tally.figures() == figures
    assert tally.breakdown("channel") == [("sms", 3), ("kiosk", 1)]
    assert tally.breakdown("legal_type") == [("opinion", 3), ("complaint", 1)]
    assert tally.breakdown("category") == [
        ("Đường sá, hạ tầng", 2),
        ("Môi trường, vệ sinh", 1),
        ("Đất đai", 1),
    ]
    assert tally.breakdown("hamlet") == [("Ấp Một", 2), ("", 1), ("Ấp Ba", 1)]
    assert report_activity.item_tally(
        ids, reports.Period(date(2027, 1, 1), date(2027, 3, 31)), now
    ) == report_activity.ItemTally({}, [])


def test_desks_add_up_their_officers_in_each_commune(db):
    east, west = make_commune("Tân Thạnh"), make_commune("Mỹ Hòa")
    day = at("2026-10-05")
    add_ratings(make_officer(east, "01", "Nguyễn Thị Lan", desk="Quầy 1"), [1, 2, 4], day)
    add_ratings(make_officer(east, "02", "Trần Văn An", desk="Quầy 1"), [1, 3], day)
    add_ratings(make_officer(west, "01", "Lê Văn Bình", desk="Quầy 1"), [2] * 3, day)
    desks = reports.satisfaction([east.id, west.id], Q4, group="desk")
    assert [(r.commune, r.label, r.levels.counts) for r in desks] == [
        ("Mỹ Hòa", "Quầy 1", (0, 3, 0, 0)),
        ("Tân Thạnh", "Quầy 1", (2, 1, 1, 1)),
    ]
    communes = reports.satisfaction([east.id, west.id], Q4, group="commune")
    assert [(r.label, r.levels.total) for r in communes] == [("Mỹ Hòa", 3), ("Tân Thạnh", 5)]
