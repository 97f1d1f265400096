"""The supervisor's landing: their communes, those with problems first."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from admin.access import require_role, visible_commune_ids
from admin.reports import chosen_period
from nghedan.database import reads_only
from nghedan.services.reports import dialogues as report_dialogues
from nghedan.services.reports import summary as report_summary
from nghedan.services.reports import supervision as report_supervision
from nghedan.services.reports.satisfaction import Period

PERIOD_ARGS = ("from", "to", "quarter")


def landing_url(user) -> str:
    """Where a user lands after logging in: supervisors on their communes, others the inbox."""
    return url_for("admin.supervision" if user.role == "supervisor" else "admin.items")


def _period() -> Period:
    if any(request.args.get(name) for name in PERIOD_ARGS):
        return chosen_period()
    return report_supervision.landing_period(report_supervision.today_of())


@reads_only
@require_role()
def index():
    """Overdue dialogues, missing notices and falling satisfaction, commune by commune."""
    ids = visible_commune_ids(current_user)
    period = _period()
    watched = report_supervision.watch_list(ids, period) if ids else []
    report_args = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return render_template(
        "admin/reports/supervision.html",
        watched=watched,
        period=period,
        period_label=report_summary.period_label(period),
        no_communes=not ids,
        needing=sum(1 for w in watched if w.problems),
        report_args=report_args,
        deadline_days=report_dialogues.notice_deadline_days(),
    )
