"""The conclusion notice in the admin panel: draft, signature, issue with the scan, correction."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.access import ANY_ROLE, EDITORS, load_dialogue, require_role
from nghedan.errors import DomainError
from nghedan.formatting import local
from nghedan.models import ConclusionNotice, utcnow
from nghedan.public_notices import scan_response
from nghedan.request_args import id_value
from nghedan.services.dialogues import agenda, notice_issue, notices
from nghedan.services.dialogues.notice_docx import notice_docx as render_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _back(dialogue_id: int):
    return redirect(url_for("admin.dialogue_notice", dialogue_id=dialogue_id))


@require_role(*ANY_ROLE)
def notice(dialogue_id: int):
    """The notice as it will print on A4, with what the office does next."""
    dialogue = load_dialogue(dialogue_id)
    current = notice_issue.current_notice(dialogue)
    document = (
        notice_issue.document(current)
        if current
        else (notices.build_notice(dialogue) if dialogue.status == "held" else None)
    )
    today = local(utcnow()).date()
    in_room = [e for e in agenda.in_meeting_order(dialogue) if e.item.dialogue_id == dialogue.id]
    return render_template(
        "admin/dialogues/notice.html",
        dialogue=dialogue,
        current=current,
        notice=document,
        entries=notices.answered_entries(dialogue),
        prefill=notices.summary_prefill,
        problems=notice_issue.problems(current) if current and current.status == "draft" else [],
        history=notice_issue.history(dialogue),
        can_edit=current_user.role in EDITORS,
        roles=notices.ROLE_TITLES,
        today=today,
        symbol=notice_issue.default_symbol(),
        meeting_n={e.id: n for n, e in enumerate(in_room, start=1)},
        may_start=(
            current is None
            and current_user.role in EDITORS
            and dialogue.status == "held"
            and dialogue.notice_published_at is None
        ),
    )


@require_role(*EDITORS)
def start_draft(dialogue_id: int):
    """Start the held dialogue's draft notice (signed by whoever chaired)."""
    dialogue = load_dialogue(dialogue_id)
    notice_issue.open_draft(dialogue, user_id=current_user.id)
    flash(_("Đã lập dự thảo thông báo kết luận. Sửa tóm tắt ý kiến rồi lưu."), "info")
    return _back(dialogue.id)


def _current_or_fail(dialogue):
    current = notice_issue.current_notice(dialogue)
    if current is None:
        raise DomainError(_("Chưa có thông báo kết luận."), code="no_notice")
    return current


def _act(dialogue_id: int, action, done: str):
    """Run one step on the current notice (a refusal goes back to the notice page)."""
    dialogue = load_dialogue(dialogue_id)
    action(dialogue, _current_or_fail(dialogue))
    flash(done, "info")
    return _back(dialogue_id)


@require_role(*EDITORS)
def save_summaries(dialogue_id: int):
    """Save each item's summary (tóm tắt ý kiến) and the signer, as typed on the draft."""
    form = request.form
    summaries = {
        entry_id: text
        for key, text in form.items()
        if key.startswith("summary-") and (entry_id := id_value(key.removeprefix("summary-")))
    }
    signer = (form["signer_name"], form.get("signer_role", "")) if "signer_name" in form else None

    def action(dialogue, current):
        notice_issue.save_draft(current, summaries, signer)

    return _act(dialogue_id, action, _("Đã lưu dự thảo."))


@require_role(*EDITORS)
def submit(dialogue_id: int):
    """The draft goes to the chairman for signature."""
    return _act(
        dialogue_id,
        lambda d, n: notice_issue.submit_for_signature(n, user_id=current_user.id),
        _("Đã chuyển thông báo trình ký. In hoặc tải tệp Word để ký."),
    )


@require_role(*EDITORS)
def back_to_draft(dialogue_id: int):
    return _act(
        dialogue_id,
        lambda d, n: notice_issue.back_to_draft(n, user_id=current_user.id),
        _("Thông báo đã trở lại bản dự thảo."),
    )


def _issued_on() -> date | None:
    try:
        return date.fromisoformat(request.form.get("issued_on", "").strip())
    except ValueError:
        return None


@require_role(*EDITORS)
def issue(dialogue_id: int):
    """The signed, sealed notice: its register number and scan; residents are texted now."""
    upload = request.files.get("scan")
    sent = []

    def action(dialogue, current):
        sent.append(
            notice_issue.issue(
                current,
                number=request.form.get("number", type=int),
                issued_on=_issued_on(),
                symbol=request.form.get("symbol"),
                scan=upload.read() if upload else b"",
                scan_name=upload.filename if upload else "",
                user_id=current_user.id,
            )
        )

    response = _act(dialogue_id, action, _("Đã ban hành thông báo kết luận."))
    if sent:
        flash(_("%(n)d tin nhắn kết quả đang chờ gửi cho người dân.", n=sent[0]), "info")
    return response


@require_role(*EDITORS)
def correct(dialogue_id: int):
    """Start a notice that will replace the issued one (both are kept)."""
    dialogue = load_dialogue(dialogue_id)
    notice_issue.start_correction(dialogue, request.form.get("reason", ""), user_id=current_user.id)
    flash(_("Đã lập dự thảo thông báo thay thế. Sửa nội dung rồi trình ký lại."), "info")
    return _back(dialogue.id)


def _notice_for_download(dialogue) -> ConclusionNotice | None:
    wanted = request.args.get("notice", type=int)
    if wanted:
        found = notice_issue.notice_of(dialogue, wanted)
        if found is None:
            abort(404)
        return found
    return notice_issue.current_notice(dialogue)


@require_role(*ANY_ROLE)
def notice_docx(dialogue_id: int):
    """The notice as a Word file: the draft with its number blank, or as issued."""
    dialogue = load_dialogue(dialogue_id)
    if dialogue.status != "held":
        abort(404)
    current = _notice_for_download(dialogue)
    document = notice_issue.document(current) if current else notices.build_notice(dialogue)
    name = f"thong-bao-ket-luan-{local(dialogue.starts_at):%Y%m%d}-{dialogue.id}.docx"
    return Response(
        render_docx(document),
        headers={
            "Content-Type": DOCX_TYPE,
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


@require_role(*ANY_ROLE)
def scan(dialogue_id: int, notice_id: int):
    """The signed scan of one of the dialogue's notices."""
    dialogue = load_dialogue(dialogue_id)
    found = notice_issue.notice_of(dialogue, notice_id)
    if found is None or not found.scan:
        abort(404)
    return scan_response(found)
