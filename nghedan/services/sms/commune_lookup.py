"""Which commune a text is for, remembered per process: every inbound SMS asks.

Communes and their SMS numbers change a few times a year and are never deleted, so the
answers are kept for `TTL_SECONDS` in each process (gunicorn worker, outbox worker) and
forgotten at once when this process writes a commune or an SMS channel; another process's
change is seen within the TTL.
"""

from __future__ import annotations

import time

from flask import current_app, has_app_context
from sqlalchemy import bindparam, event, select

from nghedan.extensions import db
from nghedan.models import Commune, SmsChannel
from nghedan.services.sms import channels as sms_channels

TTL_SECONDS = 30.0
_KEY = "nghedan.commune_lookup"

_communes = Commune.__table__.c
_BY_SMS_NUMBER = select(_communes.id).where(_communes.sms_number == bindparam("number"))
_FIRST_TWO = select(_communes.id).order_by(_communes.id).limit(2)
_EXISTS = select(_communes.id).where(_communes.id == bindparam("commune_id"))


def commune_id_for_sms_number(number: str | None) -> int | None:
    """The commune whose SMS number (or one of its SMS channels' SIMs) received the text;
    the only commune when there is one; None when no commune can be told."""
    return _remembered(("number", number), lambda: _lookup_number(number))


def commune_exists(commune_id: int) -> bool:
    return _remembered(
        ("exists", commune_id), lambda: _scalar(_EXISTS, commune_id=commune_id) is not None
    )


def forget() -> None:
    """Drop what this process remembers (called when a commune or SMS channel is written)."""
    if has_app_context():
        current_app.extensions.pop(_KEY, None)


def _remembered(key, look_up):
    memory = current_app.extensions.setdefault(_KEY, {})
    now = time.monotonic()
    hit = memory.get(key)
    if hit is not None and hit[1] > now:
        return hit[0]
    value = look_up()
    memory[key] = (value, now + TTL_SECONDS)
    return value


def _lookup_number(number: str | None) -> int | None:
    if number:
        commune_id = _scalar(_BY_SMS_NUMBER, number=number)
        if commune_id is None:
            commune_id = sms_channels.commune_id_for_number(number)
        if commune_id is not None:
            return commune_id
    first_two = db.session.connection().execute(_FIRST_TWO).scalars().all()
    return first_two[0] if len(first_two) == 1 else None


def _scalar(statement, **params):
    return db.session.connection().execute(statement, params).scalar()


def _forget_on_write(_mapper, _connection, _target) -> None:
    forget()


for _model in (Commune, SmsChannel):
    for _event in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _event, _forget_on_write)
