"""The domain's tables, a module per aggregate; import from here."""

from nghedan.models.api_clients import ApiClient
from nghedan.models.audit import AuditEvent
from nghedan.models.base import utcnow
from nghedan.models.devices import Kiosk
from nghedan.models.dialogues import (
    AgendaEntry,
    ConclusionNotice,
    Dialogue,
    dialogue_hamlets,
    dialogue_officials,
)
from nghedan.models.items import Category, Item, ItemAttachment, ItemEvent
from nghedan.models.messages import Message
from nghedan.models.people import Contact, Officer, User, supervisor_communes
from nghedan.models.places import Commune, Hamlet
from nghedan.models.ratings import Rating
from nghedan.models.sms_channels import SmsChannel, SmsChannelFailure
from nghedan.models.zalo import ZaloAccount, ZaloUser

__all__ = [
    "ZaloAccount",
    "ZaloUser",
    "AgendaEntry",
    "ApiClient",
    "AuditEvent",
    "Category",
    "Commune",
    "ConclusionNotice",
    "Contact",
    "Dialogue",
    "Hamlet",
    "Item",
    "ItemAttachment",
    "ItemEvent",
    "Kiosk",
    "Message",
    "Officer",
    "Rating",
    "SmsChannel",
    "SmsChannelFailure",
    "User",
    "dialogue_hamlets",
    "dialogue_officials",
    "supervisor_communes",
    "utcnow",
]
