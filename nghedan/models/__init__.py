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
from nghedan.models.prompts import KioskLanguage, KioskPrompt
from nghedan.models.ratings import Rating
from nghedan.models.sms_channels import SmsChannel, SmsChannelFailure
from nghedan.models.workers import WorkerHeartbeat
from nghedan.models.zalo import ZaloAccount, ZaloUser

__all__ = [
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
    "KioskLanguage",
    "KioskPrompt",
    "Message",
    "Officer",
    "Rating",
    "SmsChannel",
    "SmsChannelFailure",
    "User",
    "WorkerHeartbeat",
    "dialogue_hamlets",
    "dialogue_officials",
    "supervisor_communes",
    "utcnow",
    "ZaloAccount",
    "ZaloUser",
]
