"""Which texts are tied to a denunciation (tố cáo), whose sender the law keeps confidential.

A text is tied to a denunciation when it belongs to it (the text that made it, a text joined
to it, a reply sent about it), when it names the denunciation's tracking code (`TT <code>`
and the status reply, whatever the channel stored), or when it went to the denunciation's
sender about an item the denunciation was merged into. A phone number shown beside such a
text names the sender; `admin.access.may_link_phone` decides who may see that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from nghedan import tracking_codes
from nghedan.extensions import db
from nghedan.models import Item, Message

# Digits, possibly cut by the separators residents type inside a code (`1234 5671`, `1234-5671`).
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-_/]?\d)*")
_SEPARATOR = re.compile(r"[\s.\-_/]")
_LONGEST = 12  # a code with leading zeros typed in front (`0012345671`)


def mentioned_codes(text: str | None) -> set[str]:
    """The valid tracking codes written in a text (`TT 1234 5671`, `Mã 12345671: …`)."""
    codes = set()
    for run in _DIGIT_RUN.findall(text or ""):
        groups = _SEPARATOR.split(run)
        for start in range(len(groups)):  # `TT 1234 5671 2345 6782` names two codes
            digits = ""
            for group in groups[start:]:
                digits += group
                if len(digits) > _LONGEST:
                    break
                code = tracking_codes.normalize(digits)
                if code is not None and tracking_codes.is_valid(code):
                    codes.add(code)
    return codes


def _texts(message: Message) -> tuple[str | None, ...]:
    return message.body, message.reply_body


def tied_denunciations(messages: Iterable[Message]) -> dict[int, list[Item]]:
    """For each message id, the denunciations the message is tied to (most have none)."""
    messages = list(messages)
    codes = {code for m in messages for text in _texts(m) for code in mentioned_codes(text)}
    ids = {m.item_id for m in messages if m.item_id is not None}
    found = (
        db.session.scalars(
            select(Item).where(
                Item.legal_type == "denunciation",
                Item.id.in_(ids) | Item.tracking_code.in_(codes) | Item.duplicate_of_id.in_(ids),
            )
        ).all()
        if codes or ids
        else []
    )
    by_id = {d.id: d for d in found}
    by_code = {d.tracking_code: d for d in found}
    # A denunciation merged into another item: the replies about that item reach its sender.
    merged = {(d.duplicate_of_id, d.contact_phone): d for d in found if d.duplicate_of_id}
    tied: dict[int, list[Item]] = {}
    for message in messages:
        items = {
            by_code[c].id: by_code[c]
            for text in _texts(message)
            for c in mentioned_codes(text)
            if c in by_code
        }
        for denunciation in (
            by_id.get(message.item_id),
            merged.get((message.item_id, message.phone)),
        ):
            if denunciation is not None:
                items[denunciation.id] = denunciation
        tied[message.id] = list(items.values())
    return tied
