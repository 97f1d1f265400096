"""Test data for dialogues: a commune with officers, a planned dialogue, scheduled items."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from nghedan.extensions import db
from nghedan.formatting import LOCAL_ZONE
from nghedan.services.dialogues.plan import DialogueInput, create_dialogue
from nghedan.services.items.history import change_status
from tests.factories import make_item


def this_weeks_monday_9am(today: date) -> datetime:
    """09:00 in Vietnam on the Monday of `today`'s week, in UTC."""
    monday = today - timedelta(days=today.weekday())
    return datetime.combine(monday, time(9), LOCAL_ZONE).astimezone(UTC)


# The tests' "now", given to the services that take one: this week's Monday, 09:00 in Vietnam,
# so the weekdays the tests speak of hold and the dates move on with the real clock.
NOW = this_weeks_monday_9am(datetime.now(LOCAL_ZONE).date())
TODAY = NOW.astimezone(LOCAL_ZONE).date()  # that Monday


def form_starts_at(days: int) -> str:
    """A dialogue form's `starts_at`: 14:00 in Vietnam, `days` days after today (real clock)."""
    day = datetime.now(LOCAL_ZONE).date() + timedelta(days=days)
    return f"{day.isoformat()}T14:00"


def dialogue_input(commune, *, days: float = 7, hamlets=None, **kw) -> DialogueInput:
    hamlets = hamlets if hamlets is not None else commune.hamlets[:1]
    return DialogueInput(
        kind=kw.pop("kind", "dialogue"),
        place=kw.pop("place", "Nhà văn hóa ấp Tân Phú"),
        starts_at=kw.pop("starts_at", NOW + timedelta(days=days, hours=5)),
        hamlet_ids=tuple(h.id for h in hamlets),
        chair_name=kw.pop("chair_name", "Nguyễn Văn Bình"),
        **kw,
    )


def make_dialogue(commune, *, days: float = 7, hamlets=None, **kw):
    return create_dialogue(commune.id, dialogue_input(commune, days=days, hamlets=hamlets, **kw))


def triaged_item(
    commune,
    text="Đường ấp Tân Phú bị ngập nước.",
    *,
    phone="0912345678",
    category="roads",
    hamlet=None,
    **kw,
):
    item = make_item(
        commune,
        text,
        contact_phone=phone,
        category_code=category,
        hamlet_id=(hamlet or commune.hamlets[0]).id,
        **kw,
    )
    change_status(item, "triaged")
    db.session.flush()
    return item


def outbox(db_session, kind=None):
    from sqlalchemy import select

    from nghedan.models import Message

    query = select(Message).where(Message.direction == "out").order_by(Message.id)
    if kind:
        query = query.where(Message.kind == kind)
    return list(db_session.scalars(query))


# The smallest file that is a PDF by its own first bytes: what a clerk's scan upload checks.
SCAN_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def issue_notice(dialogue, number: int = 1, *, now=None, user_id=None) -> int:
    """Draft, summaries as prefilled, signature, number and scan: the notice issued at `now`.

    Returns how many outcome SMS were queued.
    """
    from nghedan.formatting import local
    from nghedan.models import utcnow
    from nghedan.services.dialogues import notice_issue as office
    from nghedan.services.dialogues.notices import answered_entries, summary_prefill

    now = now or utcnow()
    notice = office.open_draft(dialogue, user_id=user_id)
    for entry in answered_entries(dialogue):
        office.save_summary(notice, entry, summary_prefill(entry))
    office.submit_for_signature(notice, today=local(now).date())
    return office.issue(
        notice,
        number=number,
        issued_on=local(now).date(),
        scan=SCAN_PDF,
        scan_name="scan.pdf",
        user_id=user_id,
        now=now,
    )
