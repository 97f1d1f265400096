"""Residents' phone contacts: found or created by number, opt-out and language."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nghedan.database import insert_ignoring
from nghedan.extensions import db
from nghedan.models import Contact, utcnow


def contact_for(phone: str) -> Contact:
    """The contact of an E.164 number, created on first use (safe under concurrency)."""
    found = db.session.scalar(select(Contact).where(Contact.phone == phone))
    if found:
        return found
    try:
        with db.session.begin_nested():
            contact = Contact(phone=phone)
            db.session.add(contact)
        return contact
    except IntegrityError:
        return db.session.scalar(select(Contact).where(Contact.phone == phone))


def ensure_contact(phone: str) -> None:
    """The contact of an E.164 number exists afterwards (one statement, safe under concurrency)."""
    insert_ignoring(Contact.__table__, {"phone": phone})


def is_opted_out(phone: str) -> bool:
    return bool(db.session.scalar(select(Contact.opted_out).where(Contact.phone == phone)))


def set_opt_out(phone: str, opted_out: bool) -> bool:
    """Record STOP/START; returns True when the state changed."""
    contact = contact_for(phone)
    if contact.opted_out == opted_out:
        return False
    contact.opted_out = opted_out
    contact.opted_out_at = utcnow() if opted_out else None
    return True


def language_of(phone: str | None) -> str:
    if not phone:
        return "vi"
    lang = db.session.scalar(select(Contact.language).where(Contact.phone == phone))
    return lang or "vi"
