"""A commune's own settings and its hamlets (ấp, khóm, thôn, bản, tổ dân phố).

Hamlets are deactivated, never deleted: items and dialogues refer to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from nghedan import phones
from nghedan.errors import ValidationError
from nghedan.extensions import db
from nghedan.models import Commune, Hamlet
from nghedan.models.places import COMMUNE_KINDS, HAMLET_KINDS
from nghedan.text import collapse_spaces, fold_diacritics, nfc

MAX_TEXT_LENGTH = 120
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,38}[a-z0-9]")
DEFAULT_SIGNING = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
ROTATION_DAYS_RANGE = (7, 730)


@dataclass(frozen=True)
class CommuneSettings:
    """What an admin may change about their commune (the code stays: URLs and posters use it)."""

    name: str
    kind: str
    sms_number: str = ""
    chairman_name: str = ""
    notice_signing_authority: str = ""
    notice_signing_title: str = ""
    rotation_days: int = 92


def update_commune(commune: Commune, settings: CommuneSettings) -> dict:
    """Apply the settings; returns the changed fields as {name: [before, after]}."""
    values = _validated(settings)
    changes = {}
    for key, value in values.items():
        before = getattr(commune, key)
        if before != value:
            changes[key] = [before, value]
            setattr(commune, key, value)
    db.session.flush()
    return changes


def _validated(settings: CommuneSettings) -> dict:
    name = _text(settings.name)
    if not name:
        raise ValidationError(_l("Tên xã, phường đang trống."), code="empty_name")
    if settings.kind not in COMMUNE_KINDS:
        raise ValidationError(_l("Loại đơn vị không hợp lệ."), code="bad_kind")
    number = None
    if (settings.sms_number or "").strip():
        number = phones.to_e164(settings.sms_number)
        if number is None:
            raise ValidationError(_l("Số điện thoại nhận tin nhắn không hợp lệ."), code="bad_phone")
    low, high = ROTATION_DAYS_RANGE
    if not low <= int(settings.rotation_days) <= high:
        raise ValidationError(
            _l("Chu kỳ luân phiên từ %(low)s đến %(high)s ngày.", low=low, high=high),
            code="bad_rotation",
        )
    authority = _text(settings.notice_signing_authority)
    title = _text(settings.notice_signing_title)
    if not authority or not title:
        raise ValidationError(
            _l("Khối ký của thông báo cần đủ thẩm quyền và chức vụ."), code="empty_signing"
        )
    return {
        "name": name,
        "kind": settings.kind,
        "sms_number": number,
        "chairman_name": _text(settings.chairman_name) or None,
        "notice_signing_authority": authority,
        "notice_signing_title": title,
        "rotation_days": int(settings.rotation_days),
    }


@dataclass(frozen=True)
class NewCommune:
    """A commune a deployment adds: its code (in URLs and on posters) never changes after."""

    code: str
    name: str
    kind: str = "xa"
    province: str = ""
    sms_number: str = ""
    hamlets: tuple[str, ...] = ()
    hamlet_kind: str = "ap"


MAX_NEW_HAMLETS = 200  # a commune has a few dozen; more is a pasted list gone wrong


def add_commune(new: NewCommune) -> Commune:
    """A new commune with its hamlets; its code and SMS number must not be another's."""
    hamlets = [name for name in new.hamlets if _text(name)]
    if len(hamlets) > MAX_NEW_HAMLETS:
        raise ValidationError(
            _l(
                "Danh sách có %(n)s ấp, khóm; mỗi lần thêm tối đa %(max)s. Thêm xã với "
                "%(max)s tên đầu, rồi thêm các ấp, khóm còn lại ở trang Xã, ấp.",
                n=len(hamlets),
                max=MAX_NEW_HAMLETS,
            ),
            code="too_many_hamlets",
        )
    code = (new.code or "").strip().lower()
    if not _CODE.fullmatch(code):
        raise ValidationError(
            _l(
                "Mã xã chỉ gồm chữ thường không dấu, số và dấu gạch ngang "
                "(2–40 ký tự), ví dụ tan-thanh."
            ),
            code="bad_code",
        )
    if db.session.scalar(select(Commune.id).where(Commune.code == code)) is not None:
        raise ValidationError(_l("Đã có xã, phường mã này."), code="code_taken")
    values = _validated(
        CommuneSettings(
            name=new.name,
            kind=new.kind,
            sms_number=new.sms_number,
            notice_signing_authority=DEFAULT_SIGNING[0],
            notice_signing_title=DEFAULT_SIGNING[1],
        )
    )
    if (
        values["sms_number"]
        and db.session.scalar(select(Commune.id).where(Commune.sms_number == values["sms_number"]))
        is not None
    ):
        raise ValidationError(
            _l("Số điện thoại này đã là số nhận tin của xã khác."), code="number_taken"
        )
    commune = Commune(code=code, province=_text(new.province), **values)
    db.session.add(commune)
    db.session.flush()
    for name in hamlets:
        add_hamlet(commune.id, name, new.hamlet_kind)
    return commune


def add_hamlet(
    commune_id: int,
    name: str,
    kind: str,
    *,
    households: int | None = None,
    adults: int | None = None,
) -> Hamlet:
    """A new hamlet of the commune (its name must not repeat one already there), with the
    bases of its attendance rate when known."""
    hamlet = Hamlet(commune_id=commune_id, active=True)
    _name_and_kind(hamlet, name, kind)
    set_hamlet_population(hamlet, households, adults)
    db.session.add(hamlet)
    db.session.flush()
    return hamlet


def update_hamlet(
    hamlet: Hamlet, name: str, kind: str, *, households: int | None, adults: int | None
) -> dict:
    """Change a hamlet's name, kind and population; returns what changed."""
    return rename_hamlet(hamlet, name, kind) | set_hamlet_population(hamlet, households, adults)


def rename_hamlet(hamlet: Hamlet, name: str, kind: str) -> dict:
    """Change a hamlet's name or kind; returns what changed."""
    before = {"name": hamlet.name, "kind": hamlet.kind}
    _name_and_kind(hamlet, name, kind)
    db.session.flush()
    return {
        key: [before[key], getattr(hamlet, key)]
        for key in before
        if before[key] != getattr(hamlet, key)
    }


def set_hamlet_active(hamlet: Hamlet, active: bool) -> None:
    """An inactive hamlet is no longer offered for new items and dialogues."""
    hamlet.active = active


MAX_POPULATION = 10_000_000


def set_hamlet_population(hamlet: Hamlet, households: int | None, adults: int | None) -> dict:
    """Set the bases of the attendance rate (None: unknown); returns what changed."""
    for value in (households, adults):
        if value is not None and not 0 < value <= MAX_POPULATION:
            raise ValidationError(_l("Số hộ, số người phải là số dương."), code="bad_population")
    before = {"households": hamlet.households, "adults": hamlet.adults}
    hamlet.households, hamlet.adults = households, adults
    return {
        key: [before[key], getattr(hamlet, key)]
        for key in before
        if before[key] != getattr(hamlet, key)
    }


def kind_label(commune: Commune) -> str:
    """`xã`, `phường` or `đặc khu` in the reader's language (screens and reports;
    documents and SMS use the Vietnamese `Commune.kind_word`)."""
    labels = {"xa": gettext("xã"), "phuong": gettext("phường"), "dac_khu": gettext("đặc khu")}
    return labels.get(commune.kind, labels["xa"])


def commune_by_code(code: str) -> Commune | None:
    return db.session.scalar(select(Commune).where(Commune.code == code))


def hamlet_of(commune_id: int, hamlet_id: int) -> Hamlet | None:
    """The hamlet with this id if it belongs to this commune (else None)."""
    hamlet = db.session.get(Hamlet, hamlet_id)
    return hamlet if hamlet is not None and hamlet.commune_id == commune_id else None


def communes_by_name(commune_ids: list[int] | None = None) -> list[Commune]:
    """These communes (every commune of the deployment when None), in name order."""
    query = select(Commune).order_by(Commune.name)
    if commune_ids is not None:
        query = query.where(Commune.id.in_(commune_ids))
    return list(db.session.scalars(query))


def hamlet_counts() -> dict[int, int]:
    """How many hamlets each commune has, by commune id."""
    query = select(Hamlet.commune_id, func.count(Hamlet.id)).group_by(Hamlet.commune_id)
    return dict(db.session.execute(query).all())


def commune_names(commune_ids: list[int] | None = None) -> dict[int, str]:
    """These communes' names by id."""
    query = select(Commune.id, Commune.name)
    if commune_ids is not None:
        query = query.where(Commune.id.in_(commune_ids))
    return dict(db.session.execute(query).all())


def commune_by_id(commune_id: int) -> Commune | None:
    return db.session.get(Commune, commune_id)


def sole_commune() -> Commune | None:
    """The deployment's commune when it has exactly one (else None)."""
    communes = db.session.scalars(select(Commune).limit(2)).all()
    return communes[0] if len(communes) == 1 else None


def active_hamlets(commune_id: int) -> list[Hamlet]:
    return list(
        db.session.scalars(
            select(Hamlet).where(Hamlet.commune_id == commune_id, Hamlet.active.is_(True))
        )
    )


def list_hamlets(commune_id: int) -> list[Hamlet]:
    """The commune's hamlets: active first, then by name (diacritics folded for the order)."""
    hamlets = db.session.scalars(select(Hamlet).where(Hamlet.commune_id == commune_id))
    return sorted(hamlets, key=lambda h: (not h.active, fold_diacritics(h.name)))


def _name_and_kind(hamlet: Hamlet, name: str, kind: str) -> None:
    name = _text(name)
    if not name:
        raise ValidationError(_l("Tên ấp, khóm đang trống."), code="empty_name")
    if kind not in HAMLET_KINDS:
        raise ValidationError(_l("Loại ấp, khóm không hợp lệ."), code="bad_kind")
    others = db.session.scalars(
        select(Hamlet.name).where(
            Hamlet.commune_id == hamlet.commune_id, Hamlet.id != (hamlet.id or 0)
        )
    )
    if any(nfc(other).casefold() == name.casefold() for other in others):
        raise ValidationError(_l("Xã đã có ấp, khóm tên này."), code="name_taken")
    hamlet.name, hamlet.kind = name, kind


def _text(value: str | None) -> str:
    text = collapse_spaces(nfc(value or ""))
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(_l("Nội dung quá dài (tối đa 120 ký tự)."), code="too_long")
    return text
