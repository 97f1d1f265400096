"""The admin panel for commune officials and supervisors (blueprint at /admin).

This file is the routing table; the views live in the modules they are imported from.
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

from admin import dialogues  # noqa: E402,F401  (dialogue routes register themselves)


def _channel_routes() -> None:
    from admin import channels

    bp.add_url_rule("/sms-channels", "sms_channels", channels.index)
    bp.add_url_rule(
        "/sms-channels/<int:channel_id>/toggle",
        "sms_channel_toggle",
        channels.toggle,
        methods=["POST"],
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
