"""Ratings of officers, the same whether they come from the kiosk or an SMS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from nghedan.database import insert_new
from nghedan.errors import NotFound, ValidationError
from nghedan.extensions import db
from nghedan.models import Kiosk, Officer, Rating, utcnow
from nghedan.models.ratings import LOW_SCORES, REASONS, SCORES
from nghedan.services.items.intake import create_item
from nghedan.text import nfc

MAX_COMMENT_LENGTH = 1000
# A comment left with these (rất hài lòng, hài lòng) is praise: it stays with the rating and
# shows on the officer's satisfaction page, with nothing for officials to triage.
PRAISE_SCORES = (1, 2)


@dataclass(frozen=True)
class RatingOutcome:
    rating: Rating | None
    created: bool
    # Why nothing new was stored: "same_key", "repeat_phone", "repeat_kiosk".
    ignored: str | None = None


def officer_by_code(commune_id: int, code: str) -> Officer | None:
    """An active officer of the commune by desk code; `1` finds `01`."""
    code = (code or "").strip()
    if not code.isdigit():
        return None
    bare = code.lstrip("0") or "0"
    candidates = sorted({code, bare, bare.zfill(2), bare.zfill(3)})
    return db.session.scalar(_OFFICER_BY_CODES, {"commune_id": commune_id, "codes": candidates})


def record_rating(
    *,
    officer_id: int,
    score: int,
    channel: str,
    reasons: tuple[str, ...] | list[str] = (),
    comment: str | None = None,
    kiosk_id: int | None = None,
    phone: str | None = None,
    client_key: str | None = None,
    phone_window: timedelta = timedelta(minutes=10),
    kiosk_window: timedelta = timedelta(seconds=20),
    comment_needs_action: bool = False,
) -> RatingOutcome:
    """Store one rating; repeats (same key, same phone or kiosk too soon) store nothing.

    A comment becomes an item unless it is praise (a score of 1-2); `comment_needs_action`
    makes it one whatever the score (a comment that alleges wrongdoing, read by the surface).
    """
    officer = db.session.get(Officer, officer_id)
    if officer is None or not officer.active:
        raise NotFound(_l("Không tìm thấy cán bộ này."), code="unknown_officer")
    reasons, comment = _valid_rating(score, reasons, comment)
    repeat = _repeat_of(officer_id, client_key, phone, phone_window, kiosk_id, kiosk_window)
    if repeat:
        return repeat
    rating = insert_new(
        Rating,
        dict(
            commune_id=officer.commune_id,
            officer_id=officer_id,
            score=score,
            reasons=reasons,
            comment=comment,
            channel=channel,
            kiosk_id=kiosk_id,
            phone=phone,
            client_key=client_key,
        ),
    )
    if rating is None:  # the same client key stored a moment ago by a concurrent request
        return RatingOutcome(_by_key(client_key), False, "same_key")
    if comment and (score not in PRAISE_SCORES or comment_needs_action):
        _comment_as_item(rating, officer)
    return RatingOutcome(rating, True)


def _valid_rating(score, reasons, comment) -> tuple[list[str], str | None]:
    if score not in SCORES:
        raise ValidationError(_l("Mức đánh giá phải từ 1 đến 4."), code="bad_score")
    reasons = list(dict.fromkeys(reasons or ()))
    unknown = [r for r in reasons if r not in REASONS]
    if unknown:
        raise ValidationError(_l("Lý do không hợp lệ."), code="bad_reason", reasons=unknown)
    if reasons and score not in LOW_SCORES:
        raise ValidationError(_l("Chỉ chọn lý do khi chưa hài lòng."), code="reason_not_allowed")
    comment = nfc(comment.strip()) if comment and comment.strip() else None
    if comment and len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            _l("Góp ý quá dài (tối đa %(n)s ký tự).", n=MAX_COMMENT_LENGTH), code="comment_too_long"
        )
    return reasons, comment


def _by_key(client_key: str | None) -> Rating | None:
    if not client_key:
        return None
    return db.session.scalar(select(Rating).where(Rating.client_key == client_key))


def _repeat_of(officer_id, client_key, phone, phone_window, kiosk_id, kiosk_window):
    same_key = _by_key(client_key)
    if same_key:
        return RatingOutcome(same_key, False, "same_key")
    now = utcnow()
    if phone:
        earlier = _recent(_RECENT_FROM_PHONE, officer_id, phone, now - phone_window)
        if earlier:
            return RatingOutcome(earlier, False, "repeat_phone")
    if kiosk_id:
        earlier = _recent(_RECENT_FROM_KIOSK, officer_id, kiosk_id, now - kiosk_window)
        if earlier:
            kiosk = db.session.get(Kiosk, kiosk_id)
            if kiosk is not None:
                kiosk.ignored_ratings += 1
            return RatingOutcome(earlier, False, "repeat_kiosk")
    return None


# Built once: every SMS rating runs them.
_OFFICER_BY_CODES = select(Officer).where(
    Officer.commune_id == bindparam("commune_id"),
    Officer.code.in_(bindparam("codes", expanding=True)),
    Officer.active,
)


def _recent_by(source):
    """The officer's newest rating from one phone or kiosk since a moment."""
    return (
        select(Rating)
        .where(
            Rating.officer_id == bindparam("officer_id"),
            source == bindparam("source"),
            Rating.created_at >= bindparam("since"),
        )
        .order_by(Rating.created_at.desc())
        .limit(1)
    )


_RECENT_FROM_PHONE, _RECENT_FROM_KIOSK = _recent_by(Rating.phone), _recent_by(Rating.kiosk_id)


def _recent(statement, officer_id: int, source, since) -> Rating | None:
    return db.session.scalar(
        statement, {"officer_id": officer_id, "source": source, "since": since}
    )


def _comment_as_item(rating: Rating, officer: Officer) -> None:
    """A rating's comment that needs acting on also becomes an item."""
    item = create_item(
        commune_id=officer.commune_id,
        text=rating.comment,
        channel=rating.channel,
        category_code="officer_conduct",
        contact_phone=rating.phone,
        kiosk_id=rating.kiosk_id,
        client_key=f"{rating.client_key}:comment" if rating.client_key else None,
    )
    rating.item = item
