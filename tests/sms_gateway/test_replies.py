"""Every reply fits one SMS segment, in Vietnamese and in English."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale

from nghedan import create_app
from nghedan.models import Commune, Dialogue, Hamlet, Item, Officer
from nghedan.sms_text import count_segments, fit_for_sms
from sms_gateway import replies
from tests.conftest import base_config

CODE = "90517761"
LONG_NAME = "Nguyễn Thị Thu Hương"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = tmp_path_factory.mktemp("replies") / "unused.db"
    return create_app(base_config(f"sqlite:///{path}"))


def every_reply() -> list[tuple[str, str]]:
    ward = Commune(name="Thạnh Phú Đông", kind="phuong")  # `phường` is longer than `xã`
    item = Item(tracking_code=CODE, status="new", legal_type="opinion", commune=ward)
    officer = Officer(code="01", name=LONG_NAME)
    forwarded = Item(
        tracking_code=CODE,
        status="forwarded",
        legal_type="opinion",
        forwarded_to="Phòng Nông nghiệp",
        due_date=date.today() + timedelta(days=22),
    )
    escalated = Item(
        tracking_code=CODE, status="escalated", legal_type="opinion", escalated_to="UBND tỉnh"
    )
    hamlet = Hamlet(name="Ấp Thạnh Phú Đông", kind="ap")
    dialogue = Dialogue(
        commune=ward,
        place="Nhà văn hóa ấp Thạnh Phú Đông",
        kind="dialogue",
        starts_at=datetime(2026, 12, 12, 12, 0, tzinfo=UTC),
    )
    return [
        ("help", replies.help_text()),
        ("received", replies.received(item)),
        ("appended", replies.appended(item)),
        ("status new", replies.status_of(item, reveal_answer=True)),
        ("status forwarded", replies.status_of(forwarded, reveal_answer=True)),
        ("status escalated", replies.status_of(escalated, reveal_answer=True)),
        ("status confidential", replies.status_of(item, reveal_answer=False)),
        ("missing code", replies.missing_code()),
        ("bad code", replies.bad_code("123456789")),
        ("unknown code", replies.unknown_code(CODE)),
        ("rating usage", replies.rating_usage()),
        ("unknown officer", replies.unknown_officer("123")),
        *[(f"rating {s}", replies.rating_recorded(officer, s)) for s in (1, 2, 3, 4)],
        ("rating repeated", replies.rating_repeated(officer)),
        ("rating repeated with comment", replies.rating_repeated(officer, item)),
        ("opted out", replies.opted_out()),
        ("opted in", replies.opted_in()),
        ("ask stop", replies.ask_stop("phường")),
        ("chatter", replies.chatter(False)),
        ("thanks", replies.chatter(True)),
        ("bad length", replies.bad_length("123456789")),
        ("received, linked", replies.received(item, earlier="57201439")),
        (
            "received, next dialogue",
            replies.received(item, replies.next_dialogue(dialogue, hamlet)),
        ),
        (
            "received, next dialogue of the commune",
            replies.received(item, replies.next_dialogue(dialogue, None)),
        ),
        ("complaint", replies.legal_procedure(item, "complaint")),
        ("denunciation", replies.legal_procedure(item, "denunciation")),
        *[
            (f"rating {s} with comment", replies.rating_recorded(officer, s, item))
            for s in (1, 2, 3, 4)
        ],
        ("schedule, two", replies.schedule([dialogue, dialogue], hamlet)),
        ("schedule, none here", replies.schedule([], hamlet, "phường")),
        ("schedule, none", replies.schedule([], None, "phường")),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_reply_takes_one_segment(app, language):
    with app.test_request_context(), force_locale(language):
        texts = every_reply()
    for name, text in texts:
        sent = fit_for_sms(text)
        segments = count_segments(sent)
        assert segments.parts == 1, (name, sent, segments)
        if segments.encoding == "UCS-2":
            assert sent == text  # diacritics kept only when they fit


def test_vietnamese_replies_keep_diacritics_when_they_fit(app):
    with app.test_request_context(), force_locale("vi"):
        short = replies.appended(Item(tracking_code=CODE))
        long = replies.help_text()
    assert fit_for_sms(short) == short and count_segments(short).encoding == "UCS-2"
    assert count_segments(long).parts == 2  # UCS-2 with diacritics…
    plain = fit_for_sms(long)
    assert (count_segments(plain).encoding, count_segments(plain).parts) == ("GSM-7", 1)
    assert plain.startswith("Gui y kien: nhan noi dung")  # …one GSM-7 segment without


def test_examples_are_real_never_templates(app):
    with app.test_request_context(), force_locale("vi"):
        texts = [text for _name, text in every_reply()]
        help_text = replies.help_text()
    assert not [t for t in texts if "<" in t or ">" in t]
    assert "TT 12345671" in help_text and "DG 01 hài lòng" in help_text and "LICH" in help_text


def test_segment_counter_at_the_boundaries():
    assert count_segments("a" * 160).parts == 1
    assert count_segments("a" * 161).parts == 2
    assert count_segments("a" * 306).parts == 2
    assert count_segments("{" * 80).parts == 1  # extension characters cost two septets
    assert count_segments("{" * 81).parts == 2
    assert count_segments("ạ" * 70).parts == 1
    assert count_segments("ạ" * 71).parts == 2
    assert count_segments("😀" * 35).parts == 1  # surrogate pairs count twice
    assert count_segments("😀" * 36).parts == 2


@pytest.mark.parametrize(
    ("name", "kind", "label"),
    [
        ("Ấp Tân Phú", "ap", "ấp Tân Phú"),
        ("Tân Phú", "ap", "ấp Tân Phú"),
        ("Khóm 1", "khom", "khóm 1"),
        ("Tổ dân phố 3", "to_dan_pho", "tổ dân phố 3"),
        ("Bản Na Hang", "ban", "bản Na Hang"),
        ("Thôn Đông", "thon", "thôn Đông"),
    ],
)
def test_hamlets_are_named_in_a_sentence_with_their_kind(name, kind, label):
    assert replies.hamlet_label(Hamlet(name=name, kind=kind)) == label


@pytest.mark.parametrize("language", ["vi", "en"])
def test_closing_the_loop_texts_take_one_segment_however_long_the_reason(app, language):
    from nghedan.services.items.status_sms import status_text

    long = "Ủy ban nhân dân huyện và các sở, ngành có liên quan của tỉnh An Giang " * 4
    due = date.today() + timedelta(days=30)
    items = [
        Item(tracking_code=CODE, status="rejected"),
        Item(tracking_code=CODE, status="forwarded", forwarded_to=long, due_date=due),
        Item(tracking_code=CODE, status="forwarded", responsible="Ông Hùng"),
        Item(tracking_code=CODE, status="escalated", escalated_to=long, due_date=due),
        Item(tracking_code=CODE, status="escalated"),
    ]
    with app.test_request_context(), force_locale(language):
        texts = [status_text(item, long) for item in items]
    for text in texts:
        assert CODE in text and count_segments(fit_for_sms(text)).parts == 1, text
    assert "Ông Hùng" in texts[2] or "Ong Hung" in fit_for_sms(texts[2])
