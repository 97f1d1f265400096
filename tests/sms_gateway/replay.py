"""Replaying the corpus through a channel: every channel must give each text the same effect.

A channel's test passes `send(body, sender) -> reply or None`; `replay` sends every corpus
text from its own phone (so none joins another's item) and checks what it did.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from nghedan.models import Contact, Item, Rating
from nghedan.services.people.ratings import PRAISE_SCORES
from nghedan.text import fold_diacritics, nfc
from tests.sms_gateway.corpus import CORPUS, Case

Send = Callable[[str, str], "str | None"]


def phone_for(index: int) -> str:
    return f"+8491300{index:04d}"


def replay(send: Send, db) -> list[str]:
    """Every corpus text through `send`; the list of mismatches (empty when all agree)."""
    problems = []
    for index, case in enumerate(CORPUS):
        phone = phone_for(index)
        before = _counts(db)
        reply = send(case.body, phone)
        db.expire_all()
        problem = _check(case, phone, reply, before, _counts(db), db)
        if problem:
            problems.append(f"{case.body[:40]!r}: {problem} (reply {reply!r})")
    return problems


def _counts(db) -> tuple[int, int]:
    return (db.scalar(select(func.count(Item.id))), db.scalar(select(func.count(Rating.id))))


def _check(case: Case, phone: str, reply, before, after, db) -> str | None:
    items, ratings = after[0] - before[0], after[1] - before[1]
    if case.kind == "opinion":
        item = db.scalar(select(Item).where(Item.contact_phone == phone))
        expected = case.text if case.text is not None else nfc(case.body).strip()
        if items != 1 or item is None or item.text != expected:
            return "expected one item with the text"
        if item.legal_type != (case.hint or "opinion") or item.flagged != bool(case.hint):
            return f"legal type {item.legal_type}, flagged {item.flagged}"
        return None if reply and item.tracking_code in reply else "reply lacks the code"
    if case.kind == "rate":
        # Praise (a score of 1-2) stays with the rating unless it alleges wrongdoing.
        acted_on = case.score not in PRAISE_SCORES or case.hint is not None
        with_comment = 1 if case.problem is None and case.text and acted_on else 0
        if (ratings, items) != ((1, with_comment) if case.problem is None else (0, 0)):
            return f"expected {'one rating' if case.problem is None else 'no rating'}"
        if with_comment:
            item = db.scalar(select(Item).where(Item.contact_phone == phone))
            if item.tracking_code not in (reply or ""):
                return "the comment's code is not in the reply"
            if item.legal_type != (case.hint or "opinion"):
                return f"comment's legal type {item.legal_type}"
        return None if reply else "no reply"
    if items or ratings:
        return "stored an item or a rating"
    return _check_reply(case, phone, reply or "", db)


def _check_reply(case: Case, phone: str, reply: str, db) -> str | None:
    if case.kind == "status":
        expected = list(case.codes or [case.code or "TT"])
        if case.problem == "bad_length":
            expected.append("8")
        missing = [e for e in expected if e not in reply]
        return f"reply should mention {missing}" if missing else None
    if case.kind == "help":
        return None if "TT" in reply and "DG" in reply else "not the help reply"
    if case.kind == "chatter":
        return None if "TT" in reply and "LICH" in reply else "not the friendly help"
    if case.kind == "schedule":
        return None if "doi thoai" in fold_diacritics(reply) else "not the dialogue schedule"
    opted_out = db.scalar(select(Contact.opted_out).where(Contact.phone == phone))
    if case.kind == "ask_stop":
        return None if not opted_out and "HUY" in reply else "not asked"
    if case.kind == "stop":
        return None if opted_out and "DK" in reply else "not opted out"
    return None if not opted_out and "HUY" in reply else "not opted in"
