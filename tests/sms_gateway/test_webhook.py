"""Twilio's inbound webhook and the pipeline behind it: signatures, store-only webhooks,
repeats, order per phone, retries, and what residents get back."""

from __future__ import annotations

import logging
import threading
import unicodedata
from datetime import timedelta

from sqlalchemy import func, select

from nghedan.models import Contact, Item, Message, Rating, utcnow
from nghedan.services.sms.outbox import queue_sms
from tests.factories import make_commune, make_item
from tests.sms_gateway.conftest import (
    COMMUNE_NUMBER,
    PUBLIC_BASE_URL,
    RESIDENT,
    post_sms,
    reply_of,
    run_pipeline,
    signed,
    sms_params,
)


def count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where))


def inbound(db) -> list[Message]:
    return db.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()


def test_a_text_becomes_an_item_and_the_reply_gives_its_code(db, text):
    reply = text("Đường ấp Tân Phú bị ngập nước cả tuần nay.")
    item = db.scalar(select(Item))
    assert item.channel == "sms" and item.contact_phone == RESIDENT
    assert item.text == "Đường ấp Tân Phú bị ngập nước cả tuần nay."
    assert item.tracking_code in reply
    [message] = inbound(db)
    assert (message.status, message.item_id, message.reply_body) == ("processed", item.id, reply)
    assert message.phone == RESIDENT and message.service_number == COMMUNE_NUMBER


def test_missing_signature_is_refused_with_one_log_line_and_nothing_stored(
    db, client, commune, caplog
):
    params = sms_params("Xin chào")
    with caplog.at_level(logging.WARNING):
        response = client.post("/sms/twilio", data=params)
    assert response.status_code == 403
    assert count(db, Message) == 0 and count(db, Item) == 0
    lines = [r for r in caplog.records if "/sms/twilio" in r.getMessage()]
    assert len(lines) == 1 and "missing" in lines[0].getMessage()


def test_wrong_signature_is_refused(db, client, commune):
    params = sms_params("Xin chào")
    headers = signed("/sms/twilio", params)
    params["Body"] = "Nội dung bị sửa"
    assert client.post("/sms/twilio", data=params, headers=headers).status_code == 403
    other_url = signed("/sms/twilio", params, url="https://other.example/sms/twilio")
    assert client.post("/sms/twilio", data=params, headers=other_url).status_code == 403
    assert count(db, Message) == 0


def test_signature_over_the_request_url_when_no_public_base_url(app, db, client, commune):
    app.config["PUBLIC_BASE_URL"] = None
    params = sms_params("HD")
    headers = signed("", params, url="http://localhost/sms/twilio?x=1")
    response = client.post("/sms/twilio?x=1", data=params, headers=headers)
    assert "TT" in reply_of(response)


def test_public_base_url_keeps_the_query_string(db, client, commune):
    params = sms_params("HD")
    headers = signed("", params, url=PUBLIC_BASE_URL + "/sms/twilio?commune=tan-thanh")
    assert reply_of(client.post("/sms/twilio?commune=tan-thanh", data=params, headers=headers))


def test_forwarded_headers_count_only_with_proxy_fix(app_config, database_url):
    from nghedan import create_app
    from tests.sms_gateway.conftest import twilio_config

    app = create_app(twilio_config(database_url, PUBLIC_BASE_URL=None, PROXY_FIX_HOPS=1))
    params = sms_params("HD", sender="VIETTEL")
    headers = signed("", params, url="https://xa.example.vn/sms/twilio")
    headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "xa.example.vn"})
    assert app.test_client().post("/sms/twilio", data=params, headers=headers).status_code == 200


def replies_sent(db) -> list[Message]:
    return db.scalars(select(Message).where(Message.direction == "out")).all()


def test_a_repeated_delivery_is_stored_once_and_answered_once(db, client, commune):
    first = post_sms(client, "Đèn đường hư", sid="SM" + "1" * 32)
    again = post_sms(client, "Đèn đường hư", sid="SM" + "1" * 32)
    assert reply_of(first) and reply_of(again) is None  # the repeat: 200, nothing new queued
    assert count(db, Message, Message.direction == "in") == 1 and count(db, Item) == 1
    late = post_sms(client, "Đèn đường hư", sid="SM" + "1" * 32)  # after it was answered
    assert reply_of(late) is None
    assert len(replies_sent(db)) == 1


def test_concurrent_repeated_deliveries_end_with_one_row_and_one_reply(app, db, commune):
    barrier = threading.Barrier(4)
    statuses, errors = [], []

    def deliver():
        try:
            barrier.wait(timeout=10)
            statuses.append(
                post_sms(app.test_client(), "Cống nghẹt", sid="SM" + "2" * 32).status_code
            )
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and statuses == [200] * 4
    [reply] = run_pipeline()
    assert count(db, Message, Message.direction == "in") == 1 and count(db, Item) == 1
    assert db.scalar(select(Item.tracking_code)) in reply.body


def test_the_webhook_only_stores_and_answers_at_once(db, client, commune, monkeypatch):
    from sms_gateway import parser

    def broken(_body):
        raise RuntimeError("the parser would crash")

    monkeypatch.setattr(parser, "parse", broken)
    response = post_sms(client, "Đường hư")
    assert response.status_code == 200 and response.data.endswith(b"<Response />")
    [message] = inbound(db)
    assert message.status == "received" and message.body == "Đường hư"
    assert count(db, Item) == 0 and replies_sent(db) == []


def test_a_phones_texts_are_acted_on_in_the_order_they_were_stored(db, client, commune):
    for body in ("Đường ấp Tân Phú", "bị ngập sâu, xe không qua được", "TT"):
        assert post_sms(client, body).status_code == 200
    post_sms(client, "Bãi rác bốc mùi", sender="+84987654321")
    replies = run_pipeline()  # all stored before the worker ran: still one item per phone, in order
    [mine, theirs] = db.scalars(select(Item).order_by(Item.id)).all()
    assert mine.text == "Đường ấp Tân Phú\nbị ngập sâu, xe không qua được"
    assert theirs.contact_phone == "+84987654321"
    assert [m.phone for m in replies].count(RESIDENT) == 3
    assert [m.status for m in inbound(db)] == ["processed"] * 4


def test_a_later_text_waits_while_an_earlier_one_is_retried(app, db, client, commune, monkeypatch):
    from sms_gateway import actions
    from sms_gateway.pipeline import process_inbound

    real = actions.ACTIONS["opinion"]
    monkeypatch.setitem(actions.ACTIONS, "opinion", lambda *a: 1 / 0)
    post_sms(client, "Đường ấp Tân Phú")
    post_sms(client, "HD")
    report = process_inbound()
    assert (report.retried, report.processed) == (1, 0)  # the help text waits behind it
    monkeypatch.setitem(actions.ACTIONS, "opinion", real)
    report = process_inbound(now=utcnow() + timedelta(minutes=5))
    assert report.processed == 2
    assert [m.status for m in inbound(db)] == ["processed", "processed"]


def test_texts_within_the_join_window_join_one_item(db, text):
    first = text("Đường ấp Tân Phú")
    second = text("bị ngập sâu, xe không qua được")
    [item] = db.scalars(select(Item)).all()
    assert item.text == "Đường ấp Tân Phú\nbị ngập sâu, xe không qua được"
    assert item.tracking_code in first and item.tracking_code in second
    item.last_message_at -= timedelta(minutes=11)
    db.commit()
    text("Chuyện khác: trạm y tế thiếu thuốc")
    assert count(db, Item) == 2


def test_texts_from_another_phone_do_not_join(db, text):
    text("Đường ấp Tân Phú bị ngập")
    text("Bãi rác bốc mùi", sender="+84987654321")
    assert count(db, Item) == 2


def test_status_of_own_item(db, text):
    reply = text("Đèn đường hư")
    code = db.scalar(select(Item.tracking_code))
    status = text(f"TT {code}")
    assert code in status and status != reply


def test_status_with_a_wrong_check_digit(db, text):
    assert "không đúng" in text("TT 12345678")


def test_status_with_a_code_of_the_wrong_length_says_how_long_codes_are(db, text):
    assert "Mã tra cứu có 8 chữ số" in text("TT:123456")
    assert "Mã tra cứu có 8 chữ số" in text("1234")
    assert db.scalar(select(func.count(Item.id))) == 0


def test_status_of_an_unknown_code(db, text):
    assert "Không tìm thấy" in text("tra cuu 12345671")


def test_status_of_another_phones_item_reveals_no_personal_data(db, text, commune):
    item = make_item(
        commune,
        text="Nhà ông Năm bị lấn đất",
        contact_phone="0987654321",
        contact_name="Lê Văn Năm",
    )
    db.commit()
    reply = text(f"TT {item.tracking_code}")
    assert item.tracking_code in reply
    for secret in ("0987", "987654321", "Năm", "Nam", "lấn"):
        assert secret not in reply


def test_status_of_a_denunciation_says_only_that_it_is_handled(db, text, commune):
    item = make_item(
        commune, text="Tố cáo cán bộ", legal_type="denunciation", contact_phone="0987654321"
    )
    item.status, item.answer = "answered", "Đã xử lý kỷ luật ông X"
    db.commit()
    reply = text(f"TT {item.tracking_code}")
    assert "kỷ luật" not in reply and "ky luat" not in reply
    assert "tiếp nhận" in reply or "tiep nhan" in reply


def test_rating_an_officer(db, text):
    reply = text("DG 01 1")
    rating = db.scalar(select(Rating))
    assert (rating.score, rating.channel, rating.phone) == (1, "sms", RESIDENT)
    assert "Lan" in reply


def test_rating_the_same_officer_twice_in_ten_minutes_counts_once(db, text):
    text("DG 01 1")
    reply = text("DG01 4")
    assert count(db, Rating) == 1
    assert "một lần" in reply or "mot lan" in reply
    text("DG 02 3")
    assert count(db, Rating) == 2


def test_rating_with_a_comment_also_makes_an_item(db, text):
    text("DG 02 4 thái độ kém, bắt chờ lâu")
    rating = db.scalar(select(Rating))
    assert rating.comment == "thái độ kém, bắt chờ lâu" and rating.item_id
    assert db.get(Item, rating.item_id).category.code == "officer_conduct"


def test_unknown_officer_or_bad_score_store_no_rating(db, text):
    assert "99" in text("DG 99 1")
    assert "1 rất hài lòng" in text("DG 01 5") or "1 rat hai long" in text("DG 01 5")
    assert "DG" in text("DG")
    assert count(db, Rating) == 0 and count(db, Item) == 0


def test_help_and_empty_texts_get_the_help_reply_and_make_no_item(db, text):
    help_reply = text("HD")
    assert "TT" in help_reply and "DG" in help_reply
    assert text("HELP") == help_reply
    assert text("") == help_reply
    assert text("   ") == help_reply
    assert count(db, Item) == 0


def test_opt_out_is_acknowledged_once_and_silences_everything_until_start(db, text, commune):
    ack = text("HUY")
    assert "DK" in ack
    assert text("STOP") is None
    assert db.scalar(select(Contact.opted_out).where(Contact.phone == RESIDENT))
    assert text("Đường hư") is None
    assert count(db, Item) == 1  # still heard, just not answered
    assert queue_sms(RESIDENT, "Thông báo", kind="invitation") is None
    assert "HUY" in text("DK")
    assert text("HD") is not None


def test_long_emoji_and_decomposed_texts_are_stored_whole_in_nfc(db, text):
    long_body = ("Đường ấp Tân Phú ngập 😢 " * 80)[:1600]
    text(long_body)
    decomposed = unicodedata.normalize("NFD", "Hàng xóm lấn đất 🙏")
    text(decomposed, sender="+84987654321")
    bodies = [m.body for m in inbound(db)]
    assert bodies == [long_body, unicodedata.normalize("NFC", decomposed)]
    assert inbound(db)[0].parts > 1


def test_alphanumeric_and_short_code_senders_are_stored_but_never_answered(db, text):
    assert text("Khuyến mãi nạp thẻ", sender="VIETTEL") is None
    assert text("HD", sender="9029") is None
    messages = inbound(db)
    assert [m.flagged for m in messages] == [True, True]
    assert count(db, Item) == 0


def test_more_than_ten_texts_in_ten_minutes_are_stored_flagged_and_unanswered(db, text):
    replies = [text(f"HD lần {n}") for n in range(12)]
    assert all(replies[:10]) and replies[10:] == [None, None]
    messages = inbound(db)
    assert len(messages) == 12
    assert [m.flagged for m in messages[10:]] == [True, True]
    assert "nhiều" in messages[-1].flag_reason


def test_text_to_an_unknown_number_with_several_communes_is_flagged(db, client, commune):
    make_commune(name="Tân Hòa", sms_number="+84868000999")
    db.commit()
    assert reply_of(post_sms(client, "Đường hư", to="+84868000777")) is None
    [message] = inbound(db)
    assert message.flagged and message.commune_id is None
    assert count(db, Item) == 0


def test_with_one_commune_any_number_reaches_it(db, client, commune):
    assert reply_of(post_sms(client, "Đường hư", to="+15005550006"))
    assert db.scalar(select(Item.commune_id)) == commune.id


def test_each_commune_gets_the_texts_sent_to_its_number(db, client, commune):
    other = make_commune(name="Tân Hòa", sms_number="+84868000999")
    db.commit()
    reply_of(post_sms(client, "Đường hư", to="+84868000999"))
    assert db.scalar(select(Item.commune_id)) == other.id


def test_a_number_given_to_a_commune_reaches_it_from_the_next_text(db, client, commune):
    # Which commune a number belongs to is remembered per process (commune_lookup); saving a
    # commune makes this process forget it at once.
    other = make_commune(name="Tân Hòa")
    db.commit()
    assert reply_of(post_sms(client, "Đường hư", to="+84868000999")) is None  # nobody's yet
    other.sms_number = "+84868000999"
    db.commit()
    assert reply_of(post_sms(client, "Cầu gãy", to="+84868000999"))
    assert db.scalar(select(Item.commune_id)) == other.id


def test_replies_come_in_the_contacts_language(db, text):
    db.add(Contact(phone=RESIDENT, language="en"))
    db.commit()
    reply = text("Street lights broken")
    assert reply.startswith("Received")
    assert "Reply" in text("HELP") or "Text" in text("HELP")


def test_a_processing_error_is_retried_then_flagged_and_answers_nothing(db, text, monkeypatch):
    from sms_gateway import actions
    from sms_gateway.pipeline import process_inbound

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setitem(actions.ACTIONS, "opinion", broken)
    assert text("Đường hư") is None  # first attempt failed: waits for the next
    [message] = inbound(db)
    assert (message.status, message.attempts, message.flagged) == ("received", 1, False)
    later = utcnow()
    for _ in range(3):
        later += timedelta(minutes=10)
        process_inbound(now=later)
    db.refresh(message)
    assert message.flagged and message.status == "flagged" and message.attempts == 3
    assert message.body == "Đường hư" and "boom" in message.error_message
    assert replies_sent(db) == []


def test_a_text_longer_than_an_item_may_be_is_kept_and_explained(db, text):
    body = "Đường ấp ngập. " * 400  # 6,000 characters: more than an item holds
    reply = text(body)
    assert "quá dài" in reply or "qua dai" in reply
    [message] = inbound(db)
    assert message.body == body
    assert count(db, Item) == 0
