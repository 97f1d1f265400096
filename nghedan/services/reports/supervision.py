"""A supervisor's communes, those with problems first: overdue dialogues, missing notices,
falling satisfaction.

Read with a fixed number of statements whatever the number of communes: the dialogue
register of every commune at once, the hamlets without a dialogue, the communes'
satisfaction in two windows and the officers' alerts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from nghedan.extensions import db
from nghedan.formatting import local
from nghedan.models import Commune, utcnow
from nghedan.services.reports import activity as report_activity
from nghedan.services.reports import alerts as report_alerts
from nghedan.services.reports import dialogues as report_dialogues
from nghedan.services.reports import satisfaction as reports
from nghedan.services.reports.dialogues import DialogueEntry, DialogueFigures


@dataclass(frozen=True)
class CommuneWatch:
    """One commune as a supervisor sees it on landing."""

    commune_id: int
    commune: str
    dialogues: DialogueFigures
    entries: list[DialogueEntry] = field(default_factory=list)  # dialogues, not voters'
    hamlets_without_dialogue: list[str] = field(default_factory=list)
    satisfaction: tuple | None = None  # (index before, index lately), enough ratings in both
    officer_alerts: int = 0
    drop_points: float = report_alerts.AlertRules.drop_points

    @property
    def overdue(self) -> list[DialogueEntry]:
        return [e for e in self.entries if e.overdue]

    @property
    def missing_notices(self) -> list[DialogueEntry]:
        return [e for e in self.entries if e.notice_state == "missing"]

    @property
    def late_notices(self) -> list[DialogueEntry]:
        return [e for e in self.entries if e.notice_state == "late"]

    @property
    def satisfaction_falling(self) -> bool:
        if self.satisfaction is None:
            return False
        before, lately = self.satisfaction
        return (before - lately) * 100 >= self.drop_points

    @property
    def problems(self) -> int:
        """How many things need the supervisor's attention (the landing's order)."""
        return (
            len(self.overdue)
            + len(self.missing_notices)
            + int(self.satisfaction_falling)
            + self.officer_alerts
        )


def landing_period(today: date) -> reports.Period:
    """The previous quarter and the current one: what just ended and what runs."""
    current = reports.quarter_of(today)
    previous = reports.quarter_of(current.start - timedelta(days=1))
    return reports.Period(previous.start, current.end)


def watch_list(
    commune_ids,
    period: reports.Period,
    now: datetime | None = None,
    rules: report_alerts.AlertRules | None = None,
) -> list[CommuneWatch]:
    """The communes, those with problems first (most first), then by name."""
    now = now or utcnow()
    rules = rules or report_alerts.AlertRules()
    names = db.session.execute(
        select(Commune.id, Commune.name).where(Commune.id.in_(list(commune_ids)))
    ).all()
    entries: dict[int, list[DialogueEntry]] = {}
    for entry in report_dialogues.register(commune_ids, period, now):
        if not entry.is_voters:
            entries.setdefault(entry.commune_id, []).append(entry)
    without = report_activity.hamlets_without_dialogue(commune_ids, period)
    change = report_alerts.commune_satisfaction_change(commune_ids, now, rules)
    alerts: dict[int, int] = {}
    for alert in report_alerts.satisfaction_alerts(commune_ids, now, rules):
        alerts[alert.commune_id] = alerts.get(alert.commune_id, 0) + 1
    watched = [
        CommuneWatch(
            cid,
            name,
            report_dialogues.figures_of(entries.get(cid, [])),
            entries.get(cid, []),
            without.get(cid, []),
            change.get(cid),
            alerts.get(cid, 0),
            rules.drop_points,
        )
        for cid, name in names
    ]
    return sorted(watched, key=lambda w: (-w.problems, w.commune))


def today_of(now: datetime | None = None) -> date:
    """The local day of `now` (the supervisor's today)."""
    return local(now or utcnow()).date()
