"""The admin panel for commune officials and supervisors (blueprint at /admin).

This file is the routing table; the views live in the modules they are imported from, and
who may see what (roles, loaders, masking) in `admin.access`.
"""

from flask import Blueprint, render_template

bp = Blueprint(
    "admin",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.record_once
def _init_login(state) -> None:
    from admin.access import init_login

    init_login(state.app)


@bp.context_processor
def _helpers() -> dict:
    from admin.labels import jinja_helpers
    from nghedan.services.health import worker_alerts

    return {**jinja_helpers(), "worker_alerts": worker_alerts}


@bp.errorhandler(403)
def _forbidden(_e):
    from flask_babel import gettext as _

    return render_template(
        "core/error.html",
        code=403,
        title=_("Không có quyền"),
        message=_("Tài khoản của bạn không được làm việc này."),
    ), 403


def _routes() -> None:
    from admin import auth, inbox, item_page, users

    rule = bp.add_url_rule
    rule("/", "home", auth.home)
    rule("/login", "login", auth.login, methods=["GET", "POST"])
    rule("/logout", "logout", auth.logout, methods=["POST"])
    rule("/password", "own_password", auth.own_password, methods=["GET", "POST"])
    rule("/items", "items", inbox.items)
    rule("/items.csv", "items_csv", inbox.items_csv)
    rule("/items/bulk", "items_bulk", inbox.bulk, methods=["POST"])
    rule("/items/<int:item_id>", "item", item_page.show)
    rule("/items/<int:item_id>/triage", "item_triage", item_page.triage_item, methods=["POST"])
    rule("/items/<int:item_id>/reply", "item_reply", item_page.reply, methods=["POST"])
    rule("/items/<int:item_id>/merge", "item_merge", item_page.merge, methods=["POST"])
    rule("/items/<int:item_id>/sender", "item_sender", item_page.sender)
    rule("/users", "users", users.index, methods=["GET", "POST"])
    rule("/users/<int:user_id>/role", "user_role", users.change_role, methods=["POST"])
    rule("/users/<int:user_id>/password", "user_password", users.reset_password, methods=["POST"])
    rule("/users/<int:user_id>/active", "user_active", users.toggle_active, methods=["POST"])


_routes()


def _report_routes() -> None:
    from admin import reports, supervision

    rule = bp.add_url_rule
    rule("/supervision", "supervision", supervision.index)
    rule("/reports/", "reports", reports.index)
    rule("/reports/satisfaction", "reports_satisfaction", reports.satisfaction)
    rule("/reports/satisfaction.<fmt>", "reports_satisfaction_export", reports.satisfaction_export)
    rule("/reports/activity", "reports_activity", reports.activity)
    rule("/reports/activity.<fmt>", "reports_activity_export", reports.activity_export)
    # The admin home includes admin/reports/_alerts.html, which calls report_alerts().
    bp.add_app_template_global(reports.alerts_for_current_user, "report_alerts")
    bp.add_app_template_global(reports.export_url, "report_export_url")


_report_routes()


def _dialogue_routes() -> None:
    from admin import dialogues as plan
    from admin import dialogues_notice as office
    from admin import dialogues_room as room

    rule = bp.add_url_rule
    rule("/dialogues", "dialogues", plan.index)
    rule("/dialogues/new", "dialogue_new", plan.new, methods=["GET", "POST"])
    rule("/dialogues/<int:dialogue_id>", "dialogue", plan.show)
    rule("/dialogues/<int:dialogue_id>/edit", "dialogue_edit", plan.edit, methods=["GET", "POST"])
    rule("/dialogues/<int:dialogue_id>/cancel", "dialogue_cancel", plan.cancel, methods=["POST"])
    rule(
        "/dialogues/<int:dialogue_id>/agenda",
        "dialogue_agenda_add",
        plan.add_to_agenda,
        methods=["POST"],
    )
    rule(
        "/dialogues/<int:dialogue_id>/agenda/order",
        "dialogue_agenda_order",
        plan.reorder,
        methods=["POST"],
    )
    rule(
        "/dialogues/<int:dialogue_id>/agenda/<int:entry_id>/move",
        "dialogue_agenda_move",
        plan.move,
        methods=["POST"],
    )
    rule(
        "/dialogues/<int:dialogue_id>/agenda/items/<int:item_id>/remove",
        "dialogue_agenda_remove",
        plan.remove,
        methods=["POST"],
    )
    rule("/dialogues/<int:dialogue_id>/agenda/print", "dialogue_print", plan.print_agenda)
    rule(
        "/dialogues/<int:dialogue_id>/invite",
        "dialogue_invite_now",
        plan.invite_now,
        methods=["POST"],
    )
    rule("/dialogues/<int:dialogue_id>/invitation", "dialogue_invitation", plan.print_invitation)
    rule("/dialogues/<int:dialogue_id>/meeting", "dialogue_meeting", room.meeting)
    rule(
        "/dialogues/<int:dialogue_id>/meeting/items/<int:item_id>/answer",
        "dialogue_answer",
        room.save_answer,
        methods=["POST"],
    )
    rule(
        "/dialogues/<int:dialogue_id>/meeting/items/<int:item_id>/outcome",
        "dialogue_outcome",
        room.set_outcome,
        methods=["POST"],
    )
    rule(
        "/dialogues/<int:dialogue_id>/meeting/raise",
        "dialogue_raise",
        room.raise_item,
        methods=["POST"],
    )
    rule(
        "/dialogues/<int:dialogue_id>/close", "dialogue_close", room.close, methods=["GET", "POST"]
    )
    rule("/dialogues/<int:dialogue_id>/notice", "dialogue_notice", office.notice)
    rule("/dialogues/<int:dialogue_id>/notice.docx", "dialogue_notice_docx", office.notice_docx)
    for step in ("start_draft", "save_summaries", "submit", "back_to_draft", "issue", "correct"):
        rule(
            f"/dialogues/<int:dialogue_id>/notice/{step.replace('_', '-')}",
            f"dialogue_notice_{step}",
            getattr(office, step),
            methods=["POST"],
        )
    rule(
        "/dialogues/<int:dialogue_id>/notices/<int:notice_id>/scan",
        "dialogue_notice_scan",
        office.scan,
    )
    rule("/follow-up", "followup", room.followup_list)
    rule(
        "/follow-up/items/<int:item_id>/done", "followup_done", room.followup_done, methods=["POST"]
    )


_dialogue_routes()


def _channel_routes() -> None:
    from admin import channels

    bp.add_url_rule("/sms-channels", "sms_channels", channels.index)
    bp.add_url_rule(
        "/sms-channels/<int:channel_id>/toggle",
        "sms_channel_toggle",
        channels.toggle,
        methods=["POST"],
    )
    bp.add_url_rule(
        "/sms-channels/zalo/new",
        "sms_channel_zalo_new",
        channels.zalo_new,
        methods=["GET", "POST"],
    )
    bp.add_url_rule(
        "/sms-channels/<int:channel_id>/zalo",
        "sms_channel_zalo",
        channels.zalo_edit,
        methods=["GET", "POST"],
    )


_channel_routes()


def _people_and_places_routes() -> None:
    from admin import commune, communes, kiosks, officers, sms_log

    rule = bp.add_url_rule
    rule("/officers", "officers", officers.index, methods=["GET", "POST"])
    rule("/officers/<int:officer_id>", "officer", officers.edit, methods=["GET", "POST"])
    rule("/officers/<int:officer_id>/photo", "officer_photo", officers.photo)
    rule(
        "/officers/<int:officer_id>/photo",
        "officer_photo_upload",
        officers.upload_photo,
        methods=["POST"],
    )
    rule(
        "/officers/<int:officer_id>/deactivate",
        "officer_deactivate",
        officers.deactivate,
        methods=["POST"],
    )
    rule("/commune", "commune", commune.index)
    rule("/communes", "communes", communes.index, methods=["GET", "POST"])
    rule("/commune/settings", "commune_settings", commune.save_settings, methods=["POST"])
    rule("/commune/hamlets", "hamlet_add", commune.add_hamlet, methods=["POST"])
    rule("/commune/hamlets/<int:hamlet_id>", "hamlet_edit", commune.edit_hamlet, methods=["POST"])
    rule(
        "/commune/hamlets/<int:hamlet_id>/active",
        "hamlet_active",
        commune.toggle_hamlet,
        methods=["POST"],
    )
    rule("/kiosks", "kiosks", kiosks.index, methods=["GET", "POST"])
    rule("/kiosks/<int:kiosk_id>/renew", "kiosk_renew", kiosks.renew, methods=["POST"])
    rule("/kiosks/<int:kiosk_id>/revoke", "kiosk_revoke", kiosks.revoke, methods=["POST"])
    rule("/sms", "sms_log", sms_log.index)
    rule("/sms/<int:message_id>/resend", "sms_resend", sms_log.resend, methods=["POST"])


_people_and_places_routes()


def _followup_routes() -> None:
    from admin import intake, item_followup
    from nghedan.services.dialogues import agenda

    rule = bp.add_url_rule
    rule("/items/new", "item_new", intake.new_item, methods=["GET", "POST"])
    rule("/items/<int:item_id>/progress", "item_progress", item_followup.progress, methods=["POST"])
    rule("/items/<int:item_id>/resolve", "item_resolve", item_followup.resolve, methods=["POST"])
    rule(
        "/items/<int:item_id>/evidence/<int:attachment_id>", "item_evidence", item_followup.evidence
    )
    rule("/follow-up/officers", "followup_officers", item_followup.per_officer)
    # admin/dialogues/_report_back.html lists a dialogue's "report back" entries.
    bp.add_app_template_global(agenda.report_back_entries, "report_back_entries")


_followup_routes()


def _recording_routes() -> None:
    from admin import recordings
    from nghedan.services.items.recordings import spoken_item_ids, voice_attachment

    rule = bp.add_url_rule
    rule("/items/<int:item_id>/recording", "item_recording", recordings.play)
    rule(
        "/items/<int:item_id>/summary",
        "item_summary",
        recordings.summarise,
        methods=["POST"],
    )
    bp.add_app_template_global(spoken_item_ids, "spoken_item_ids")
    bp.add_app_template_global(recordings.may_hear, "may_hear_recording")
    bp.add_app_template_global(voice_attachment, "voice_attachment")


_recording_routes()


def _kiosk_prompt_routes() -> None:
    from admin import kiosk_prompts as prompts

    rule = bp.add_url_rule
    rule("/kiosk-prompts", "kiosk_prompts", prompts.index, methods=["GET", "POST"])
    rule("/kiosk-prompts/<int:prompt_id>/audio", "kiosk_prompt_audio", prompts.audio)
    rule(
        "/kiosk-prompts/<int:prompt_id>/delete",
        "kiosk_prompt_delete",
        prompts.delete,
        methods=["POST"],
    )
    rule(
        "/kiosk-prompts/languages",
        "kiosk_prompt_language_add",
        prompts.add_language,
        methods=["POST"],
    )
    rule(
        "/kiosk-prompts/languages/<code>/delete",
        "kiosk_prompt_language_remove",
        prompts.remove_language,
        methods=["POST"],
    )


_kiosk_prompt_routes()
