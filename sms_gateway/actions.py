"""What a text asks for, and the answer: the parser's command acted on by the domain services.

`act` is called by the inbound pipeline (sms_gateway.pipeline) inside the text's own
transaction, in the resident's language; each action returns the reply (None: answer
nothing) and the item the text belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from nghedan.errors import DomainError, ValidationError
from nghedan.extensions import db
from nghedan.i18n import in_language
from nghedan.models import Hamlet, Item, Rating
from nghedan.services.dialogues.plan import next_for_residents
from nghedan.services.items.history import record_event
from nghedan.services.items.intake import append_text, create_item, item_by_code
from nghedan.services.items.residents import hamlet_of, latest_item
from nghedan.services.people import places
from nghedan.services.people.ratings import MAX_COMMENT_LENGTH, officer_by_code, record_rating
from nghedan.services.sms.contacts import set_opt_out
from nghedan.services.sms.inbox import Sender
from nghedan.services.sms.outbox import queue_sms
from nghedan.sms_text import fit_for_sms, fits_one_segment
from sms_gateway import parser, replies, vocabulary
from sms_gateway.parser import Command


def N_(text: str) -> str:
    """Marks a string for translation where it is stored, not shown: a flag reason is kept in
    Vietnamese and put into the official's language on the SMS log page."""
    return text


# Flags an item gets on arrival (several are joined by FLAG_SEPARATOR).
OPTED_OUT = N_("không thể trả lời: số đã ngừng nhận tin")
LEGAL_FLAGS = {
    parser.COMPLAINT: N_("có thể là khiếu nại: cần xác nhận loại đơn"),
    parser.DENUNCIATION: N_("có thể là tố cáo: cần xác nhận loại đơn, giữ bí mật người gửi"),
}
FLAG_SEPARATOR = "; "


@dataclass(frozen=True)
class Outcome:
    reply: str | None
    item_id: int | None = None


def act(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    """Do what the text asks and say what to answer, in the sender's language; a refusal by
    the domain (e.g. far too long) is answered with its reason."""
    with in_language(sender.language):
        try:
            outcome = ACTIONS[command.kind](command, phone, commune_id, sender)
        except DomainError as e:
            outcome = Outcome(str(e.message))
        reply = outcome.reply
        if sender.opted_out and command.kind not in (parser.STOP, parser.START):
            reply = None  # opted out: nothing more is sent until DK / START
        reply = fit_for_sms(str(reply)) if reply else None
    return Outcome(reply, outcome.item_id)


def _opinion(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    earlier = _earlier_item(command.mentions, commune_id)
    if sender.joinable_item_id is not None and earlier is None:
        item = db.session.get(Item, sender.joinable_item_id)
        try:
            append_text(item, command.text)
        except ValidationError:
            pass  # too long to join: it becomes an item of its own
        else:  # read whole again: the official may be named in one part, the money in the next
            hint = parser.legal_hint(parser.Text(item.text).phrase)
            _mark_on_arrival(item, hint, sender)
            if hint:  # a complaint or denunciation after all: say what it needs
                return Outcome(replies.legal_procedure(item, hint), item.id)
            return Outcome(replies.appended(item), item.id)
    # Whatever refers to a denunciation is confidential too: its page would tie a phone to it.
    hint = (
        parser.DENUNCIATION
        if earlier is not None and earlier.is_denunciation
        else (command.legal_hint)
    )
    item = create_item(
        commune_id=commune_id,
        text=command.text,
        channel=sender.channel,
        contact_phone=phone,
        legal_type=hint or "opinion",
    )
    _mark_on_arrival(item, hint, sender)
    if earlier is not None:
        _link(item, earlier)
    if hint:
        return Outcome(replies.legal_procedure(item, hint), item.id)
    hamlet = hamlet_of(commune_id, phone, command.text)
    return Outcome(
        replies.received(
            item,
            _next_dialogue(commune_id, hamlet),
            earlier=earlier.tracking_code if earlier else None,
        ),
        item.id,
    )


def _earlier_item(codes: tuple[str, ...], commune_id: int) -> Item | None:
    """The first earlier item of this commune a new text names by its code."""
    for code in codes:
        item = item_by_code(code)
        if item is not None and item.commune_id == commune_id:
            return item
    return None


def _link(item: Item, earlier: Item) -> None:
    """Each item's history names the other, so officials read them together."""
    record_event(
        item,
        "linked",
        actor=item.channel,
        note=earlier.tracking_code,
        detail={"item_id": earlier.id},
    )
    record_event(
        earlier, "linked", actor=item.channel, note=item.tracking_code, detail={"item_id": item.id}
    )


def _mark_on_arrival(item: Item, legal_hint: str | None, sender: Sender) -> None:
    """What officials must see first: a complaint or denunciation to confirm (a denunciation
    is confidential from now on), or a phone that will get no answer."""
    if legal_hint and item.legal_type != legal_hint:
        record_event(
            item,
            "legal_type",
            actor=item.channel,
            detail={"before": item.legal_type, "after": legal_hint},
        )
        item.legal_type = legal_hint
    if legal_hint:
        _flag(item, LEGAL_FLAGS[legal_hint])
    if sender.opted_out:
        _flag(item, OPTED_OUT)


def _flag(item: Item, reason: str) -> None:
    reasons = [r for r in (item.flag_reason or "").split(FLAG_SEPARATOR) if r]
    if reason not in reasons:
        reasons.append(reason)
    item.flagged = True
    item.flag_reason = FLAG_SEPARATOR.join(reasons)[:160]


def _next_dialogue(commune_id: int, hamlet: Hamlet | None) -> str:
    """The sentence naming the next dialogue of the hamlet (the commune's when unknown)."""
    planned = next_for_residents(commune_id, hamlet.id if hamlet else None)
    return replies.next_dialogue(planned[0] if planned else None, hamlet)


def _status(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    if command.problem == parser.MISSING_CODE:  # their own latest item, if they sent one
        own = latest_item(commune_id, phone)
        return Outcome(
            replies.status_of(own, reveal_answer=True) if own else replies.missing_code()
        )
    answers = [_status_of(code, phone, command.text) for code in command.codes or (command.code,)]
    together = " ".join(answers)
    if len(answers) == 1 or fits_one_segment(together):
        return Outcome(together)
    for answer in answers[1:]:  # one reply per code when they don't fit one segment
        queue_sms(phone, answer, kind="status_reply", commune_id=commune_id)
    return Outcome(answers[0])


def _status_of(code: str, phone: str, said: str = "") -> str:
    problem = parser.code_problem(code)
    if problem == parser.BAD_LENGTH:
        return replies.bad_length(code)
    if problem == parser.BAD_CODE:
        return replies.bad_code(code)
    item = item_by_code(code)
    if item is None:
        return replies.unknown_code(code)
    own = item.contact_phone == phone
    if said and own:  # `12345671 duong chua sua`: officials see the resident is waiting
        record_event(item, "resident_asked", actor="sms", note=said[:MAX_COMMENT_LENGTH])
    # A denunciation's sender is confidential: others learn only that it is being handled.
    reveal = own or not item.is_denunciation
    return replies.status_of(item, reveal_answer=reveal)


def _rate(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    if command.problem == parser.SCORE_CONFLICT:
        return Outcome(replies.rating_conflict(command.officer_code, command.score, command.text))
    if command.problem is not None:
        return Outcome(replies.rating_usage())
    officer = officer_by_code(commune_id, command.officer_code)
    if officer is None:
        return Outcome(replies.unknown_officer(command.officer_code))
    window = timedelta(seconds=int(current_app.config["RATING_REPEAT_WINDOW_SECONDS"]))
    try:
        result = record_rating(
            officer_id=officer.id,
            score=command.score,
            channel=sender.channel,
            phone=phone,
            comment=command.text or None,
            phone_window=window,
            comment_needs_action=command.legal_hint is not None,
        )
    except DomainError as e:
        return Outcome(str(e.message))
    if not result.created:  # counted once; a comment sent with the repeat is still kept
        late = _late_comment(result.rating, command, phone, sender) if command.text else None
        return Outcome(replies.rating_repeated(officer, late), late.id if late else None)
    comment_item = result.rating.item  # a rating with a comment also became an item
    if comment_item is not None:
        _mark_on_arrival(comment_item, command.legal_hint, sender)
    return Outcome(
        replies.rating_recorded(officer, command.score, comment_item),
        comment_item.id if comment_item is not None else None,
    )


def _late_comment(rating: Rating, command: Command, phone: str, sender: Sender) -> Item:
    """A comment sent with a repeated rating (`DG 01 4`, then `DG 01 4 doi tien…`): an item
    of its own, and the rating's comment when the rating had none."""
    item = create_item(
        commune_id=rating.commune_id,
        text=command.text,
        channel=sender.channel,
        category_code="officer_conduct",
        contact_phone=phone,
        legal_type=command.legal_hint or "opinion",
    )
    _mark_on_arrival(item, command.legal_hint, sender)
    if rating.item_id is None:
        rating.comment, rating.item = command.text[:MAX_COMMENT_LENGTH], item
    return item


def _schedule(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    hamlet = hamlet_of(commune_id, phone, command.text)
    planned = next_for_residents(commune_id, hamlet.id if hamlet else None, limit=2)
    if hamlet is not None and not planned:  # nothing for the hamlet: the commune's, if any
        planned = next_for_residents(commune_id, None, limit=2)
        hamlet = None if planned else hamlet
    return Outcome(replies.schedule(planned, hamlet, _unit(commune_id)))


def _help(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    return Outcome(replies.help_text())


def _chatter(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    thanks = vocabulary.THANKS.search(parser.Text(command.text).phrase) is not None
    return Outcome(replies.chatter(thanks))


def _ask_stop(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    return Outcome(replies.ask_stop(_unit(commune_id)))


def _unit(commune_id: int) -> str:
    """`xã`, `phường` or `đặc khu`: how replies name the resident's commune."""
    commune = places.commune_by_id(commune_id)
    return commune.kind_word if commune is not None else "xã"


def _stop(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    changed = set_opt_out(phone, True)
    return Outcome(replies.opted_out() if changed else None)  # acknowledged once


def _start(command: Command, phone: str, commune_id: int, sender: Sender) -> Outcome:
    set_opt_out(phone, False)
    return Outcome(replies.opted_in())


ACTIONS = {
    parser.OPINION: _opinion,
    parser.STATUS: _status,
    parser.RATE: _rate,
    parser.HELP: _help,
    parser.STOP: _stop,
    parser.START: _start,
    parser.ASK_STOP: _ask_stop,
    parser.SCHEDULE: _schedule,
    parser.CHATTER: _chatter,
}
