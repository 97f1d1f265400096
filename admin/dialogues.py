"""Dialogue pages: list and plan, create/edit/cancel, the agenda and its printout.

The meeting, closing and follow-up are in `admin.dialogues_room`, the notice in
`admin.dialogues_notice`; their routes are in the routing table, `admin/__init__.py`.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import (
    ANY_ROLE,
    EDITORS,
    chosen_commune,
    commune_or_404,
    load_dialogue,
    load_item,
    require_role,
    shown_name,
    visible_commune_ids,
)
from nghedan.errors import DomainError
from nghedan.formatting import LOCAL_ZONE, local
from nghedan.models import Commune, Dialogue
from nghedan.models.dialogues import DIALOGUE_KINDS
from nghedan.refusals import on_refusal
from nghedan.request_args import id_value
from nghedan.services.dialogues import agenda, followup, invitation, plan, sms
from nghedan.services.dialogues.plan import DialogueInput
from nghedan.services.people import officers as people
from nghedan.services.people import places

CANDIDATE_LIMIT = 200


# --- list and plan -----------------------------------------------------------------------


@require_role(*ANY_ROLE)
def index():
    """Upcoming and past dialogues, overdue notices, and the rotation plan of the commune."""
    commune = chosen_commune()
    communes = places.communes_by_name(visible_commune_ids(current_user))
    slot_days = int(current_app.config["DIALOGUE_SLOT_DAYS"])
    return render_template(
        "admin/dialogues/index.html",
        commune=commune,
        communes=communes,
        upcoming=plan.upcoming([commune.id]),
        recent=plan.recent([commune.id]),
        overdue=followup.overdue_notices([commune.id]),
        plans=plan.hamlet_plans(commune),
        rotation=plan.suggested_rotation(commune, slot_days=slot_days),
    )


def _parse_form(commune: Commune) -> DialogueInput:
    form = request.form
    try:
        naive = datetime.strptime(form.get("starts_at", ""), "%Y-%m-%dT%H:%M")
    except ValueError as e:
        raise DomainError(_("Ngày giờ không hợp lệ."), code="bad_time") from e
    return DialogueInput(
        kind=form.get("kind", "dialogue"),
        place=form.get("place", ""),
        starts_at=naive.replace(tzinfo=LOCAL_ZONE),
        hamlet_ids=tuple(form.getlist("hamlet_ids", type=int)),
        chair_name=form.get("chair_name", ""),
        chair_officer_id=form.get("chair_officer_id", type=int) or None,
        official_ids=tuple(form.getlist("official_ids", type=int)),
        title=form.get("title", ""),
        chair_role=form.get("chair_role") or None,
    )


def _form_page(commune: Commune, dialogue: Dialogue | None) -> str:
    values = request.form if request.method == "POST" else None
    return render_template(
        "admin/dialogues/form.html",
        commune=commune,
        dialogue=dialogue,
        officers=people.active_officers(commune.id),
        preselected_hamlet=id_value(request.args.get("hamlet")),
        kinds=DIALOGUE_KINDS,
        values=values,
        local=local,
    )


def _refused_form(commune_id: int, dialogue_id: int | None):
    """How a refused dialogue form comes back: the message above the form as it was typed."""

    def render(error: DomainError) -> str:
        flash(error.message, "error")
        dialogue = load_dialogue(dialogue_id) if dialogue_id else None
        return _form_page(commune_or_404(commune_id), dialogue)

    return render


@require_role(*EDITORS)
def new():
    """Plan a dialogue (GET shows the form; hamlets may be preselected with ?hamlet=)."""
    commune = chosen_commune()
    if request.method == "GET":
        return _form_page(commune, None)
    on_refusal(_refused_form(commune.id, None))
    dialogue = plan.create_dialogue(commune.id, _parse_form(commune), user_id=current_user.id)
    carried = sum(1 for e in dialogue.agenda if e.carried_over)
    flash(
        _("Đã lên lịch buổi đối thoại.")
        + (
            " " + _("%(n)d ý kiến chưa trả lời lần trước được chuyển sang.", n=carried)
            if carried
            else ""
        ),
        "info",
    )
    return redirect(url_for("admin.dialogue", dialogue_id=dialogue.id))


@require_role(*EDITORS)
def edit(dialogue_id: int):
    """Change a planned dialogue's time, place, hamlets or officials."""
    dialogue = load_dialogue(dialogue_id)
    if request.method == "GET":
        return _form_page(dialogue.commune, dialogue)
    on_refusal(_refused_form(dialogue.commune_id, dialogue.id))
    told = plan.update_dialogue(dialogue, _parse_form(dialogue.commune), user_id=current_user.id)
    flash(
        _("Đã lưu.")
        + (" " + _("Đã nhắn tin báo %(n)d người dân về thay đổi.", n=told) if told else ""),
        "info",
    )
    return redirect(url_for("admin.dialogue", dialogue_id=dialogue.id))


@require_role(*EDITORS)
def cancel(dialogue_id: int):
    """Cancel a planned dialogue; its items go back to the queue and residents are told."""
    dialogue = load_dialogue(dialogue_id)
    told = plan.cancel_dialogue(dialogue, request.form.get("reason", ""), user_id=current_user.id)
    flash(_("Đã hủy buổi đối thoại; đã nhắn tin cho %(n)d người dân.", n=told), "info")
    return redirect(url_for("admin.dialogue", dialogue_id=dialogue.id))


# --- the dialogue and its agenda ---------------------------------------------------------


@require_role(*ANY_ROLE)
def show(dialogue_id: int):
    """The dialogue: details, the agenda grouped by category, items to add."""
    dialogue = load_dialogue(dialogue_id)
    editable = dialogue.status == "planned" and current_user.role in EDITORS
    groups = agenda.grouped(dialogue)
    return render_template(
        "admin/dialogues/show.html",
        dialogue=dialogue,
        groups=groups,
        count=sum(len(g.entries) for g in groups),
        candidates=agenda.candidates(dialogue, CANDIDATE_LIMIT) if editable else [],
        editable=editable,
        can_edit=current_user.role in EDITORS,
        invitees=len(sms.invitation_phones(dialogue)),
        resident=lambda item: shown_name(current_user, item.contact_name),
    )


@require_role(*EDITORS)
def add_to_agenda(dialogue_id: int):
    dialogue = load_dialogue(dialogue_id)
    items = [load_item(item_id) for item_id in request.form.getlist("item_id", type=int)]
    result = agenda.add_items(
        dialogue,
        items,
        confirm_similar=bool(request.form.get("confirm_similar")),
        user_id=current_user.id,
    )
    for refusal in result.refused:
        flash(refusal.message, "error")
    if result.added:
        flash(_("Đã thêm %(n)d ý kiến vào chương trình.", n=len(result.added)), "info")
    return redirect(url_for("admin.dialogue", dialogue_id=dialogue.id) + "#agenda")


@require_role(*EDITORS)
def move(dialogue_id: int, entry_id: int):
    dialogue = load_dialogue(dialogue_id)
    agenda.move_entry(dialogue, entry_id, -1 if request.form.get("step") == "up" else 1)
    return redirect(url_for("admin.dialogue", dialogue_id=dialogue.id) + f"#entry-{entry_id}")


@require_role(*EDITORS)
def reorder(dialogue_id: int):
    """The whole order at once (drag and drop): `order=<entry id>,<entry id>,…`."""
    dialogue = load_dialogue(dialogue_id)
    ids = [id_value(x) for x in request.form.get("order", "").split(",") if x.strip()]
    if None in ids:
        return {"ok": False}, 400
    agenda.reorder(dialogue, ids)  # a refused order answers 422 JSON (the page reloads)
    return {"ok": True}


@require_role(*EDITORS)
def remove(dialogue_id: int, item_id: int):
    dialogue = load_dialogue(dialogue_id)
    agenda.remove_item(dialogue, load_item(item_id), user_id=current_user.id)
    flash(_("Đã rút ý kiến khỏi chương trình."), "info")
    return redirect(url_for("admin.dialogue", dialogue_id=dialogue.id) + "#agenda")


@require_role(*ANY_ROLE)
def print_agenda(dialogue_id: int):
    """The agenda as officials take it to the meeting (A4 print stylesheet)."""
    dialogue = load_dialogue(dialogue_id)
    return render_template(
        "admin/dialogues/print_agenda.html",
        dialogue=dialogue,
        groups=agenda.grouped(dialogue),
        resident=lambda item: shown_name(current_user, item.contact_name),
    )


@require_role(*EDITORS)
def invite_now(dialogue_id: int):
    """ "Gửi thư mời ngay": the SMS invitations go out now instead of N days before."""
    dialogue = load_dialogue(dialogue_id)
    sent = sms.send_invitations_now(dialogue)
    flash(_("Đã gửi thư mời: %(n)d tin nhắn đang chờ gửi.", n=sent), "info")
    return redirect(url_for("admin.dialogue", dialogue_id=dialogue.id))


@require_role(*ANY_ROLE)
def print_invitation(dialogue_id: int):
    """The invitation to post at the cultural house, and the loudspeaker announcement."""
    dialogue = load_dialogue(dialogue_id)
    return render_template(
        "admin/dialogues/invitation.html",
        dialogue=dialogue,
        invitation=invitation.invitation(dialogue),
        loudspeaker=invitation.loudspeaker_text(dialogue),
    )
