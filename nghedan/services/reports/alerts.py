"""Dashboard alerts on officers' satisfaction: a sharp drop, or low ratings clustering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select

from nghedan.extensions import db
from nghedan.models import Commune, Officer, Rating, utcnow
from nghedan.models.ratings import LOW_SCORES
from nghedan.services.reports.satisfaction import MIN_RATINGS


@dataclass(frozen=True)
class AlertRules:
    recent_days: int = 30  # the window whose index is compared …
    baseline_days: int = 90  # … with the window just before it
    drop_points: float = 15.0  # percentage points
    cluster_days: int = 7
    cluster_min_low: int = 5  # at least this many lower-level ratings …
    cluster_share: float = 0.5  # … making at least this share of the officer's ratings
    minimum: int = MIN_RATINGS


@dataclass(frozen=True)
class Alert:
    kind: str  # "drop" or "cluster"
    officer_id: int
    officer: str
    commune: str
    before: float | None = None  # index in the baseline window (drop)
    now: float | None = None  # index in the recent window (drop)
    low: int = 0  # lower-level ratings in the cluster window (cluster)
    total: int = 0  # ratings in the cluster window (cluster)
    commune_id: int = 0


def _sum_if(condition):
    return func.sum(case((condition, 1), else_=0))


def satisfaction_alerts(
    commune_ids, now: datetime | None = None, rules: AlertRules = AlertRules()
) -> list[Alert]:
    """Officers whose index fell sharply, or whose lower-level ratings cluster, lately."""
    now = now or utcnow()
    recent = now - timedelta(days=rules.recent_days)
    baseline = recent - timedelta(days=rules.baseline_days)
    cluster = now - timedelta(days=rules.cluster_days)
    good = Rating.score.not_in(LOW_SCORES)
    in_recent = Rating.created_at >= recent
    in_baseline = Rating.created_at < recent
    in_cluster = Rating.created_at >= cluster
    rows = db.session.execute(
        select(
            Rating.officer_id,
            _sum_if(and_(in_recent, good)),
            _sum_if(in_recent),
            _sum_if(and_(in_baseline, good)),
            _sum_if(in_baseline),
            _sum_if(and_(in_cluster, ~good)),
            _sum_if(in_cluster),
        )
        .where(
            Rating.commune_id.in_(list(commune_ids)),
            Rating.created_at >= baseline,
            Rating.created_at <= now,
        )
        .group_by(Rating.officer_id)
    ).all()
    found = []
    for officer_id, r_good, r_all, b_good, b_all, c_low, c_all in rows:
        if min(r_all or 0, b_all or 0) >= rules.minimum:
            before, after = b_good / b_all, r_good / r_all
            if (before - after) * 100 >= rules.drop_points:
                found.append(("drop", officer_id, dict(before=before, now=after)))
        if (c_low or 0) >= rules.cluster_min_low and c_low / c_all >= rules.cluster_share:
            found.append(("cluster", officer_id, dict(low=int(c_low), total=int(c_all))))
    return _named(found)


def commune_satisfaction_change(
    commune_ids, now: datetime | None = None, rules: AlertRules = AlertRules()
) -> dict[int, tuple]:
    """{commune id: (index before, index lately)} with enough ratings in both windows.

    The windows are the officers' alerts' (the last `recent_days`, and the `baseline_days`
    before them); one grouped statement for every commune.
    """
    now = now or utcnow()
    recent = now - timedelta(days=rules.recent_days)
    baseline = recent - timedelta(days=rules.baseline_days)
    good = Rating.score.not_in(LOW_SCORES)
    in_recent = Rating.created_at >= recent
    rows = db.session.execute(
        select(
            Rating.commune_id,
            _sum_if(and_(in_recent, good)),
            _sum_if(in_recent),
            _sum_if(and_(~in_recent, good)),
            _sum_if(~in_recent),
        )
        .where(
            Rating.commune_id.in_(list(commune_ids)),
            Rating.created_at >= baseline,
            Rating.created_at <= now,
        )
        .group_by(Rating.commune_id)
    ).all()
    return {
        cid: (b_good / b_all, r_good / r_all)
        for cid, r_good, r_all, b_good, b_all in rows
        if min(r_all or 0, b_all or 0) >= rules.minimum
    }


def _named(found: list) -> list[Alert]:
    ids = {officer_id for _, officer_id, _ in found}
    if not ids:
        return []
    names = {
        row.id: (row.name, row.commune, row.commune_id)
        for row in db.session.execute(
            select(Officer.id, Officer.name, Commune.name.label("commune"), Officer.commune_id)
            .join(Commune, Commune.id == Officer.commune_id)
            .where(Officer.id.in_(ids))
        )
    }
    alerts = [
        Alert(kind, officer_id, *names[officer_id][:2], commune_id=names[officer_id][2], **figures)
        for kind, officer_id, figures in found
    ]
    return sorted(alerts, key=lambda a: (a.commune, a.officer, a.kind))
