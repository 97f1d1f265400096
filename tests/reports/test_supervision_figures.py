"""The figures communes report upward, over a seeded quarter holding every case, both engines."""

from __future__ import annotations

from datetime import date

import pytest

from nghedan.services.reports import activity as report_activity
from nghedan.services.reports import dialogues as report_dialogues
from nghedan.services.reports import summary as report_summary
from nghedan.services.reports.satisfaction import Period
from tests.factories import make_commune
from tests.reports.builders import at, seed_quarter

NOW = at("2026-11-23")


@pytest.fixture
def seeded(db):
    ours = make_commune("Tân Thạnh", hamlets=("Ấp Tân Phú", "Ấp Tân Hòa"))
    other = make_commune("Mỹ Hòa", hamlets=("Ấp Một",))
    return seed_quarter(ours, other, NOW)


def _row(seeded):
    (row,) = report_activity.activity([seeded.commune_id], seeded.period, now=NOW)
    return row


def test_plan_against_actual(seeded):
    d = _row(seeded).dialogues
    # Planned counts every dialogue planned for the period: held, cancelled, overdue, to come.
    assert (d.planned, d.held, d.cancelled, d.overdue, d.pending) == (7, 4, 1, 1, 1)
    assert _row(seeded).overdue_hamlets == ["Ấp Bắc"]


def test_meetings_with_voters_are_apart(seeded):
    row = _row(seeded)
    assert row.dialogues.attendance == 120 + 90 + 150 + 30  # not the voters' 200
    assert (row.voters.planned, row.voters.held, row.voters.attendance, row.voters.opinions) == (
        1,
        1,
        200,
        1,
    )
    # Ấp Đông had only a meeting with voters: still without a dialogue.
    assert row.hamlets_without_dialogue == ["Ấp Đông"]
    assert [(e.kind, e.notice_state) for e in row.voters_entries] == [("voters", None)]
    # The item answered at the meeting with voters is answered, not "at a dialogue".
    assert (row.items.received, row.items.answered, row.items.answered_at_dialogue) == (7, 6, 5)
    tally = report_activity.item_tally([seeded.commune_id], seeded.period, NOW)
    assert tally.figures()[seeded.commune_id] == row.items
    assert all(e.kind == "dialogue" for e in row.dialogue_entries)


def test_attendance_rates_against_households_and_adults(seeded):
    d = _row(seeded).dialogues
    # Ấp Bắc's households are unknown: its dialogue (30 people) is left out of both rates.
    assert (d.attendance_of_households, d.households) == (120 + 90 + 150, 400 + 300 + 600)
    assert d.household_rate == pytest.approx(360 / 1300)
    # Ấp Tân Hòa's adults are unknown: only D1 (1,000) and D3 (500 + 1,000) count.
    assert (d.attendance_of_adults, d.adults) == (270, 2500)
    assert d.adult_rate == pytest.approx(0.108)


def test_opinions_and_what_became_of_them(seeded):
    d = _row(seeded).dialogues
    assert (d.opinions, d.on_the_spot, d.to_resolve, d.escalated, d.answered) == (6, 3, 1, 1, 5)


def test_notices_on_time_late_missing(seeded):
    d = _row(seeded).dialogues
    assert (d.notices_on_time, d.notices_late, d.notices_missing, d.notices_not_due) == (1, 1, 1, 1)
    assert (d.notices, d.without_notice, d.problems) == (2, 2, 2)
    assert d.notice_delay_days == pytest.approx((3 + 16) / 2)
    # A longer deadline: D2 (16 days) is on time, D3 (20 days ago) not yet missing.
    entries = report_dialogues.register([seeded.commune_id], seeded.period, NOW, deadline_days=21)
    late = report_dialogues.figures_of(e for e in entries if not e.is_voters)
    assert (
        late.notices_on_time,
        late.notices_late,
        late.notices_missing,
        late.notices_not_due,
    ) == (2, 0, 0, 2)


def test_the_deadline_is_a_setting(app, seeded):
    app.config["DIALOGUE_NOTICE_REMINDER_DAYS"] = 21
    assert _row(seeded).dialogues.notices_on_time == 2


def test_the_register_one_row_per_dialogue(seeded):
    entries = _row(seeded).register
    ids = seeded.dialogue_ids
    assert [e.id for e in entries] == [
        ids[k] for k in ("D1", "D2", "D5", "D3", "V1", "D6", "D4", "D7")
    ]
    first = entries[0]
    assert (first.hamlets, first.chair, first.attendance, first.opinions) == (
        ("Ấp Tân Phú",),
        "Nguyễn Văn Chủ",
        120,
        4,
    )
    assert (first.notice_number, first.notice_state) == ("12/TB-UBND", "on_time")
    assert first.household_rate == pytest.approx(0.3)
    together = next(e for e in entries if e.id == ids["D3"])
    assert (together.hamlets, together.households, together.adults) == (
        ("Ấp Mới", "Ấp Tân Phú"),
        600,
        1500,
    )
    assert together.notice_state == "missing" and together.notice_published_at is None
    overdue = next(e for e in entries if e.id == ids["D6"])
    assert overdue.overdue and overdue.notice_state is None and overdue.household_rate is None


def test_two_communes_and_their_total(seeded):
    rows = report_activity.activity(
        [seeded.commune_id, seeded.other_commune_id], seeded.period, now=NOW
    )
    by_name = {r.commune: r.dialogues for r in rows}
    assert (by_name["Mỹ Hòa"].held, by_name["Mỹ Hòa"].attendance) == (1, 77)
    total = report_activity.activity_total(rows).dialogues
    assert (total.planned, total.held, total.attendance, total.notices_on_time) == (8, 5, 467, 2)


def test_the_summary_reports_each_figure(seeded):
    summary = report_summary.quarterly_summary([seeded.commune_id], seeded.period, now=NOW)
    text = summary.text
    assert (
        "xã Tân Thạnh đã tổ chức 4 trong 7 cuộc đối thoại theo kế hoạch, 390 lượt người "
        "tham dự. Trong đó: 1 cuộc đã quá ngày nhưng chưa tổ chức; 1 cuộc đã hủy; "
        "1 cuộc chưa đến ngày."
    ) in text
    assert (
        "Tại các buổi đối thoại có 6 ý kiến được nêu: 3 ý kiến được trả lời ngay tại buổi "
        "đối thoại, 1 ý kiến xã tiếp tục giải quyết, 1 ý kiến kiến nghị cấp trên."
    ) in text
    assert (
        "Thông báo kết luận: 1 ban hành đúng hạn, 1 ban hành trễ hạn, 1 quá hạn chưa ban "
        "hành. 1 cuộc còn trong thời hạn ban hành thông báo."
    ) in text
    assert (
        "Ngoài ra có 1 buổi tiếp xúc cử tri (200 lượt người), không tính vào số liệu đối thoại."
    ) in text
    assert summary.answered_at_dialogues == 5


def test_a_period_without_dialogues_says_so(seeded):
    empty = Period(date(2025, 1, 1), date(2025, 3, 31))
    text = report_summary.quarterly_summary([seeded.commune_id], empty, now=NOW).text
    assert text.startswith(
        "Quý I năm 2025, xã Tân Thạnh không có cuộc đối thoại nào trong kế hoạch."
    )
    assert "Thông báo kết luận" not in text and "tiếp xúc cử tri" not in text
