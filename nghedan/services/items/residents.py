"""What the commune knows of a resident who texts: where they live (the hamlet the text
names, else the hamlet officials gave their latest item), and their latest item."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from nghedan.extensions import db
from nghedan.models import Hamlet, Item, Message
from nghedan.text import fold_diacritics

_KIND_WORDS = ("ap", "khom", "thon", "ban", "to dan pho", "to", "khu pho", "khu")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> str:
    return " " + _NOT_WORD.sub(" ", fold_diacritics(text)).strip() + " "


def _core(folded_name: str) -> str:
    """`tan phu` of `ap tan phu`: the name as residents say it without the hamlet's kind."""
    name = folded_name.strip()
    for kind in _KIND_WORDS:
        if name.startswith(kind + " "):
            return name[len(kind) + 1 :]
    return name


def hamlet_named(commune_id: int, text: str) -> Hamlet | None:
    """The one active hamlet of the commune a text names (`ap tan phu`, `Tân Phú`), or None
    when it names none or several (`đường từ ấp A đến ấp B` says nothing of the sender)."""
    said = _words(text)
    found = []
    for hamlet in db.session.scalars(
        select(Hamlet).where(Hamlet.commune_id == commune_id, Hamlet.active)
    ):
        full = _words(hamlet.name).strip()
        core = _core(full)
        if f" {full} " in said or (not core.isdigit() and len(core) > 2 and f" {core} " in said):
            found.append(hamlet)
    return found[0] if len(found) == 1 else None


def latest_hamlet(commune_id: int, phone: str) -> Hamlet | None:
    """The hamlet of the newest item from this phone that officials placed in one."""
    hamlet_id = db.session.scalar(
        select(Item.hamlet_id)
        .where(
            Item.contact_phone == phone, Item.commune_id == commune_id, Item.hamlet_id.is_not(None)
        )
        .order_by(Item.created_at.desc(), Item.id.desc())
        .limit(1)
    )
    return db.session.get(Hamlet, hamlet_id) if hamlet_id is not None else None


def latest_item(commune_id: int, phone: str) -> Item | None:
    """The newest item this phone sent to the commune (a lookup that left out the code)."""
    return db.session.scalar(
        select(Item)
        .where(Item.contact_phone == phone, Item.commune_id == commune_id)
        .order_by(Item.created_at.desc(), Item.id.desc())
        .limit(1)
    )


def hamlet_of(commune_id: int, phone: str, text: str = "") -> Hamlet | None:
    """The hamlet a resident's text is about: the one it names, else their usual one."""
    return (hamlet_named(commune_id, text) if text else None) or latest_hamlet(commune_id, phone)


def sms_thread(item: Item, limit: int) -> list[Message]:
    """The newest texts (in and out) of the item's commune with its resident's phone, and
    those tied to the item, newest first."""
    clauses = [Message.item_id == item.id]
    if item.contact_phone:
        clauses.append(Message.phone == item.contact_phone)
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.commune_id == item.commune_id, or_(*clauses))
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(limit)
        )
    )
