"""Recording what happened: an item's event history and the audit log."""

from __future__ import annotations

from sqlalchemy import inspect

from nghedan.extensions import db
from nghedan.models import AuditEvent, Item, ItemEvent


def record_event(
    item: Item,
    kind: str,
    *,
    actor: str = "system",
    user_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    detail: dict | None = None,
) -> None:
    """Append one entry to an item's history."""
    values = dict(
        kind=kind,
        actor=actor,
        user_id=user_id,
        from_status=from_status,
        to_status=to_status,
        note=note,
        detail=detail,
    )
    if inspect(item).persistent and "events" in inspect(item).unloaded:
        # Nobody read this item's history in the session: added by id, so the history is not
        # loaded just to append to it (a later read of `item.events` loads this entry too).
        db.session.add(ItemEvent(item_id=item.id, **values))
        return
    db.session.add(ItemEvent(item=item, **values))


def change_status(
    item: Item,
    to_status: str,
    *,
    actor: str = "system",
    user_id: int | None = None,
    note: str | None = None,
) -> None:
    """Move an item to another status and record who, when and why."""
    if item.status == to_status:
        return
    record_event(
        item,
        "status",
        actor=actor,
        user_id=user_id,
        from_status=item.status,
        to_status=to_status,
        note=note,
    )
    item.status = to_status


def audit(
    action: str,
    *,
    user_id: int | None = None,
    commune_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    remote_addr: str | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit-log entry."""
    entry = AuditEvent(
        action=action,
        user_id=user_id,
        commune_id=commune_id,
        object_type=object_type,
        object_id=object_id,
        remote_addr=remote_addr,
        detail=detail,
    )
    db.session.add(entry)
    return entry
