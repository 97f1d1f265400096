"""One item: its text and facts, history, SMS thread, duplicates; triage and SMS reply."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import (
    EDITORS,
    load_item,
    may_link_message,
    require_role,
    sees_denunciation_sender,
    shown_name,
    shown_phone,
)
from admin.forms import PostForm
from nghedan import phones
from nghedan.errors import DomainError
from nghedan.formatting import parse_day
from nghedan.models import Item, Message
from nghedan.models.items import LEGAL_TYPES, STATUSES
from nghedan.refusals import on_refusal
from nghedan.request_args import id_value
from nghedan.services.dialogues import followup
from nghedan.services.items import evidence, residents, search, triage
from nghedan.services.items.confidential import tied_denunciations
from nghedan.services.items.history import audit
from nghedan.services.people import officers as people

THREAD_LIMIT = 50


def sms_thread(item: Item, user, *, audited: bool = False) -> list[Message]:
    """This item's commune's texts with its phone (in and out) and those tied to the item,
    oldest first; a text tied to a denunciation only where `may_link_message` allows."""
    rows = residents.sms_thread(item, THREAD_LIMIT)
    tied = tied_denunciations(rows)
    audited_for = item if audited else None
    return [
        m for m in reversed(rows) if may_link_message(user, tied[m.id], audited_for=audited_for)
    ]


@require_role()
def show(item_id: int):
    """The item page: its text and facts, history, SMS thread, duplicates, triage panel."""
    return page(load_item(item_id))


def page(item: Item, *, preview=None, reply_text: str = "", values=None, similar=None) -> str:
    """The item page; `values` are a refused form's fields, shown again as typed."""
    user = current_user._get_current_object()
    secret = item.is_denunciation
    # A denunciation's sender (number, name, SMS thread) is only on the audited sender page.
    return render_template(
        "admin/item.html",
        item=item,
        form=PostForm(),
        thread=[] if secret else sms_thread(item, user),
        phone=shown_phone(user, item.contact_phone, item=item),
        name=shown_name(user, item.contact_name, item=item),
        thread_phone=lambda p: shown_phone(user, p),
        sees_sender=sees_denunciation_sender(user),
        raised=triage.raised_count(item),
        merged=triage.merged_items(item),
        duplicates=triage.suggested_duplicates(item) if item.status != "duplicate" else [],
        statuses=STATUSES,
        legal_types=LEGAL_TYPES,
        preview=preview,
        reply_text=reply_text,
        recipients=len(triage.reply_recipients(item)),
        **search.menu_choices([item.commune_id]),
        officers=_officer_choices(item),
        values=values or {},
        similar=similar or [],
        resolvable=item.status in followup.RESOLVABLE,
        evidence_max_bytes=evidence.max_bytes(),
    )


def _officer_choices(item: Item) -> list:
    """The commune's serving officers, and the item's own even if they have since left."""
    officers = people.active_officers(item.commune_id)
    current = item.responsible_officer
    return officers + [current] if current and current not in officers else officers


@require_role("admin")
def sender(item_id: int):
    """A denunciation's sender, shown to admins only; every view is audited."""
    item = load_item(item_id)
    if not item.is_denunciation:
        return redirect(url_for("admin.item", item_id=item_id))
    audit(
        "item.denunciation_sender_viewed",
        user_id=current_user.id,
        commune_id=item.commune_id,
        object_type="item",
        object_id=item.id,
        remote_addr=request.remote_addr,
    )
    return render_template(
        "admin/sender.html",
        item=item,
        thread=sms_thread(item, current_user._get_current_object(), audited=True),
        phone=phones.display(item.contact_phone) if item.contact_phone else "",
        name=item.contact_name or "",
        thread_phone=phones.display,
    )


def _number(name: str) -> int | None:
    return id_value(request.form.get(name))


def _due_date() -> date | None:
    try:
        return parse_day(request.form.get("due_date"))
    except ValueError as e:
        raise DomainError(
            _("Ngày không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 25/12/2026."),
            code="bad_date",
        ) from e


@require_role(*EDITORS)
def triage_item(item_id: int):
    """Save the triage panel: category, hamlet, legal type, dialogue, follow-up, status.

    A refusal shows the panel again with everything typed; an item that reads like one
    already on the chosen dialogue's agenda is held back with an offer to merge it.
    """
    item = load_item(item_id)
    on_refusal(refused_form(item_id))
    triage.apply(item, _triage_change(item), user_id=current_user.id)
    flash(_("Đã lưu."), "ok")
    return redirect(url_for("admin.item", item_id=item_id))


def refused_form(item_id: int, saying: str = ""):
    """How a refused form of the item page comes back: the page again, saying why (after
    `saying`), with the form's fields as they were typed; for an item alike one already on
    the chosen agenda, those items with the offer to merge or confirm."""

    def render(error: DomainError) -> str:
        item = load_item(item_id)
        if error.code == "similar_on_agenda":
            return page(item, values=request.form, similar=error.detail.get("similar"))
        flash(saying or _("Không lưu được: %(reason)s", reason=error.message), "error")
        return page(item, values=request.form, reply_text=request.form.get("body", ""))

    return render


def _triage_change(item: Item) -> triage.TriageChange:
    form = request.form
    return triage.TriageChange(
        category_id=_number("category"),
        hamlet_id=_number("hamlet"),
        legal_type=form.get("legal_type", item.legal_type),
        responsible_officer_id=_number("responsible_officer"),
        responsible_body=form.get("responsible"),
        due_date=_due_date(),
        due_reason=form.get("due_reason"),
        dialogue_id=_number("dialogue"),
        status=form.get("status", item.status),
        note=form.get("note", "").strip() or None,
        confirm_similar=bool(form.get("confirm_similar")),
    )


@require_role(*EDITORS)
def reply(item_id: int):
    """Reply by SMS: first a preview (parts and cost), then sending on confirmation."""
    item = load_item(item_id)
    body = request.form.get("body", "")
    on_refusal(lambda e: _refused_reply(item_id, e))
    if request.form.get("confirm") != "1":
        return page(item, preview=triage.preview_reply(item, body), reply_text=body)
    queued = triage.reply_by_sms(item, body, user_id=current_user.id)
    flash(_("Đã xếp %(n)s tin nhắn vào hàng chờ gửi.", n=queued), "ok")
    return redirect(url_for("admin.item", item_id=item_id))


def _refused_reply(item_id: int, error: DomainError) -> str:
    return refused_form(item_id, _("Không gửi được: %(reason)s", reason=error.message))(error)


@require_role(*EDITORS)
def merge(item_id: int):
    """Merge another item (a suggested duplicate) into this one (a refusal goes back)."""
    kept = load_item(item_id)
    other = load_item(_number("other") or 0)
    triage.mark_duplicate(other, kept, user_id=current_user.id)
    flash(_("Đã gộp ý kiến %(code)s vào ý kiến này.", code=other.tracking_code), "ok")
    return redirect(url_for("admin.item", item_id=item_id))
