"""Texts as residents really send them, through Twilio's webhook: what is stored, what joins
what, and what they are told (issue 15)."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.formatting import local
from nghedan.models import Contact, Item, Message, Rating
from nghedan.services.items.history import change_status
from nghedan.services.sms.outbox import OPT_OUT_ACK
from nghedan.text import fold_diacritics
from sms_gateway.actions import OPTED_OUT
from tests.dialogues.builders import make_dialogue
from tests.factories import make_item
from tests.sms_gateway.conftest import RESIDENT

NEIGHBOUR = "+84987000111"


def folded(text: str | None) -> str:
    return fold_diacritics(text or "")


def items(db) -> list[Item]:
    db.expire_all()
    return list(db.scalars(select(Item).order_by(Item.id)))


def hamlet(commune, name: str):
    return next(h for h in commune.hamlets if h.name == name)


def when(dialogue) -> str:
    """How a reply writes the dialogue's time and date (Vietnam's time)."""
    at = local(dialogue.starts_at)
    return f"{at:%H:%M}", f"{at:%d/%m}"


# --- status requests ---------------------------------------------------------------------


def test_a_code_asked_in_every_natural_form_gets_its_status_and_stores_nothing(db, text, commune):
    code = make_item(commune, contact_phone=NEIGHBOUR).tracking_code
    db.commit()
    forms = (
        f"T T {code}",
        f"t.t {code}",
        f"TT ma {code}",
        f"tt: ma so {code}",
        f"TT <{code}>",
        f"TT ({code})",
        code,
        f"Ma {code}",
        f"kiem tra ma {code}",
        f"Kiem tra giup em ma {code} voi a",
        f"ma {code[:4]} {code[4:]}",
    )
    for index, body in enumerate(forms):  # from several phones: one would be a flood
        reply = text(body, sender=f"+849120000{index:02d}")
        assert reply.startswith(f"Mã {code}:"), (body, reply)
    assert len(items(db)) == 1


def test_several_codes_are_answered_in_one_segment_when_they_fit(db, text, commune):
    first, second = (make_item(commune, contact_phone=NEIGHBOUR).tracking_code for _ in "ab")
    db.commit()
    reply = text(f"TT {first} {second}")
    assert first in reply and second in reply


def test_several_long_answers_get_one_reply_per_code(db, text, commune):
    answered = []
    for _ in "ab":
        item = make_item(commune, contact_phone=NEIGHBOUR)
        item.answer = "Xã đã khảo sát và sẽ nâng cấp tuyến đường trong quý tới. " * 3
        change_status(item, "answered")
        answered.append(item.tracking_code)
    db.commit()
    reply = text(f"{answered[0]}, {answered[1]}")
    assert answered[0] in reply and answered[1] not in reply
    queued = db.scalars(select(Message.body).where(Message.kind == "status_reply")).all()
    assert len(queued) == 1 and answered[1] in queued[0]


def test_a_lookup_without_a_code_answers_the_senders_latest_item(db, text):
    assert "TT 12345671" in text("y kien cua toi sao roi")  # none yet: how to ask
    reply = text("Den duong ap Tan Hoa hu roi")
    [item] = items(db)
    for body in ("TT", "Ý kiến của em giải quyết chưa ạ?"):
        assert text(body).startswith(f"Mã {item.tracking_code}:")
    assert item.tracking_code in reply and len(items(db)) == 1


def test_wrong_length_and_wrong_check_digit_say_what_is_wrong(db, text):
    assert "Mã tra cứu có 8 chữ số" in text("ma 1234567")
    assert "không đúng" in text("Kiem tra giup em ma 12345678 voi a")
    assert items(db) == []


def test_a_long_complaint_naming_a_code_is_a_new_item_linked_to_the_earlier_one(db, text, commune):
    earlier = make_item(commune, contact_phone=RESIDENT)
    db.commit()
    reply = text(
        f"{earlier.tracking_code} duong van chua sua xong, nuoc van ngap, de nghi xa xem lai giup"
    )
    earlier_item, new = items(db)
    assert new.tracking_code in reply and earlier.tracking_code in reply
    assert [(e.kind, e.note) for e in new.events if e.kind == "linked"] == [
        ("linked", earlier.tracking_code)
    ]
    assert [(e.kind, e.note) for e in earlier_item.events if e.kind == "linked"] == [
        ("linked", new.tracking_code)
    ]


def test_a_code_sent_with_a_few_words_answers_and_tells_officials_the_resident_asked(db, text):
    first = text("Den duong ap Tan Hoa hu roi")
    [item] = items(db)
    reply = text(f"{item.tracking_code} den van chua sua")
    assert item.tracking_code in reply and len(items(db)) == 1  # a lookup, not a new item
    db.expire_all()
    [asked] = [e for e in item.events if e.kind == "resident_asked"]
    assert asked.note == f"{item.tracking_code} den van chua sua" and asked.actor == "sms"
    assert first != reply
    text(f"TT {item.tracking_code}")  # a bare lookup adds nothing to the history
    db.expire_all()
    assert [e.kind for e in item.events].count("resident_asked") == 1


# --- ratings -----------------------------------------------------------------------------


def test_ratings_in_words(db, text):
    for body, score in (("DG 01 rat hai long", 1), ("DG 02 hai long", 2), ("danh gia 03 kem", 4)):
        assert "Cảm ơn ông/bà đã đánh giá" in text(body)
        db.expire_all()
        assert db.scalar(select(Rating.score).order_by(Rating.id.desc()).limit(1)) == score


def test_a_rating_comment_says_its_code_and_free_text_never_joins_it(db, text):
    reply = text("DG 01 4 thai do kem, bat cho lau")
    [comment] = items(db)
    assert comment.tracking_code in folded(reply) or comment.tracking_code in reply
    reply = text("Duong ap Tan Phu ngap nuoc ca tuan nay")
    comment_again, road = items(db)
    assert comment_again.text == "thai do kem, bat cho lau"
    assert road.tracking_code in reply and road.category_id is None


def test_a_comment_sent_with_a_repeated_rating_is_kept_with_its_code(db, text):
    text("DG 02 4")
    reply = text("DG 02 4 can bo doi tien moi lam ho so")
    [item] = items(db)
    assert "chỉ tính một lần" in reply or "chi tinh mot lan" in reply
    assert item.tracking_code in reply and item.is_denunciation
    [rating] = db.scalars(select(Rating)).all()
    assert rating.item_id == item.id and rating.score == 4


def test_a_rating_alleging_wrongdoing_is_a_confidential_item_with_a_code(db, text):
    reply = text("dg 02 khong hai long, doi tien moi lam nhanh")
    [item] = items(db)
    assert item.tracking_code in reply
    assert item.is_denunciation and item.flagged


def test_a_score_its_words_contradict_is_asked_again_and_not_counted(db, text):
    """`DG 01 4 rat tot`: on the four-level scale 4 is "không hài lòng" (a resident used to
    stars means the opposite). Counting it would put a praised officer among the worst."""
    reply = text("DG 01 4 rat tot")
    assert "Mức 4 là “không hài lòng” nhưng ông/bà viết “rat tot”" in reply
    assert "DG 01 1 nếu rất hài lòng" in reply
    assert db.scalars(select(Rating)).all() == [] and items(db) == []
    assert "Cảm ơn ông/bà đã đánh giá" in text("DG 01 1 rat tot")
    assert [r.score for r in db.scalars(select(Rating))] == [1]


# --- chatter and opt-out phrases ---------------------------------------------------------


def test_chatter_gets_a_friendly_help_and_joins_nothing(db, text):
    first = text("Den duong ap Tan Hoa hu roi")
    [item] = items(db)
    for body in ("cam on", "Ok", "Alo", "xin chao", "Hello", "👍"):
        reply = text(body)
        assert reply and "LICH" in reply and "TT" in reply, body
        assert "ông/bà" in reply or "ong/ba" in reply
    assert "Cam on ong/ba" in text("Cảm ơn ạ") or "Cảm ơn ông/bà" in text("Cảm ơn ạ")
    [same] = items(db)
    assert same.text == item.text and item.tracking_code in first


def test_vietnamese_opt_out_phrases_opt_out_and_unsure_ones_are_asked(db, text):
    reply = text("dung")
    assert "HUY" in reply and items(db) == []
    assert not db.scalar(select(Contact.opted_out).where(Contact.phone == RESIDENT))
    assert "DK" in text("ko nhan tin nua")
    assert db.scalar(select(Contact.opted_out).where(Contact.phone == RESIDENT))


def test_an_opted_out_phone_still_gets_its_item_flagged_and_nothing_is_sent(db, text):
    text("ngung nhan tin")
    assert text("Duong ap Tan Phu bi sat lo") is None
    [item] = items(db)
    assert item.flagged and OPTED_OUT in item.flag_reason
    outgoing = db.scalars(select(Message.kind).where(Message.direction == "out")).all()
    assert outgoing == [OPT_OUT_ACK]  # only the acknowledgement of the opt-out


# --- when and where ----------------------------------------------------------------------


def test_lich_names_the_next_dialogue_of_the_residents_hamlet(db, text, commune):
    tan_phu, tan_hoa = hamlet(commune, "Ấp Tân Phú"), hamlet(commune, "Ấp Tân Hòa")
    make_dialogue(commune, days=8, hamlets=[tan_phu], place="Nhà văn hóa ấp Tân Phú")
    later = make_dialogue(commune, days=10, hamlets=[tan_hoa], place="Nhà văn hóa ấp Tân Hòa")
    make_item(commune, contact_phone=RESIDENT, hamlet_id=tan_hoa.id)  # placed by officials
    db.commit()
    for body in ("LICH", "lich doi thoai", "khi nao doi thoai", "doi thoai o dau"):
        reply = folded(text(body))
        assert "tan hoa" in reply and "tan phu" not in reply, (body, reply)
        assert all(part in reply for part in when(later))
    assert items(db)[-1].channel == "kiosk"  # nothing stored for the questions


def test_lich_names_a_hamlet_the_text_names_or_the_communes_next(db, client, text, commune):
    tan_phu = hamlet(commune, "Ấp Tân Phú")
    make_dialogue(commune, days=8, hamlets=[tan_phu], place="Nhà văn hóa ấp Tân Phú")
    db.commit()
    assert "tan phu" in folded(text("lich doi thoai ap tan phu"))
    assert "cua xa" in folded(text("LICH", sender=NEIGHBOUR))
    assert "tan phu" in folded(text("lich doi thoai ap tan hoa"))  # none there: the commune's


def test_lich_without_a_planned_dialogue_says_so(db, text):
    reply = folded(text("LICH"))
    assert "chua co lich doi thoai" in reply
    assert "nha van hoa." in reply and "nha van hoa ap" not in reply  # thôn, bản, tổ too


def test_the_received_reply_names_the_next_dialogue_of_the_hamlet(db, text, commune):
    tan_phu = hamlet(commune, "Ấp Tân Phú")
    dialogue = make_dialogue(commune, days=9, hamlets=[tan_phu], place="Nhà văn hóa ấp Tân Phú")
    db.commit()
    reply = folded(text("Duong ap Tan Phu ngap nuoc ca tuan nay"))
    [item] = items(db)
    assert item.tracking_code in reply
    assert "doi thoai gan nhat o ap tan phu" in reply
    assert all(part in reply for part in when(dialogue))


# --- complaints and denunciations --------------------------------------------------------


def test_a_denunciation_is_confidential_from_arrival_and_the_reply_says_what_the_law_needs(
    db, text
):
    reply = folded(text("to cao can bo dia chinh doi tien moi cap so do"))
    [item] = items(db)
    assert item.is_denunciation and item.flagged and "to cao" in folded(item.flag_reason)
    assert item.tracking_code in reply
    for words in ("ho ten", "dia chi", "chu ky", "ubnd xa", "bi mat"):
        assert words in reply, words
    other = text(f"TT {item.tracking_code}", sender=NEIGHBOUR)
    assert "đang xử lý" in other  # another phone learns nothing more
    text("ong ay con doi them 2 trieu nua")  # a further text does not join a denunciation
    assert len(items(db)) == 2


def test_a_complaint_is_flagged_for_the_official_to_confirm(db, text):
    reply = folded(text("toi khieu nai quyet dinh thu hoi dat cua xa"))
    [item] = items(db)
    assert (
        item.legal_type == "complaint" and item.flagged and "khieu nai" in folded(item.flag_reason)
    )
    assert "khieu nai can don" in reply and item.tracking_code in reply


def test_a_text_names_a_hamlet_only_when_it_names_one(db, commune):
    from nghedan.services.items.residents import hamlet_named

    assert hamlet_named(commune.id, "duong ap tan phu ngap").name == "Ấp Tân Phú"
    assert hamlet_named(commune.id, "Đường Tân Hòa hư").name == "Ấp Tân Hòa"
    assert hamlet_named(commune.id, "duong tu ap tan phu den ap tan hoa") is None
    assert hamlet_named(commune.id, "duong lien xa bi hu") is None


def test_the_rest_of_a_denunciation_turns_the_opinion_it_joins_confidential(db, text):
    text("Toi muon phan anh ve can bo dia chinh xa")
    reply = folded(text("ong ay doi tien 5 trieu moi do dat cho nha toi"))
    [item] = items(db)
    assert item.is_denunciation and item.flagged
    assert [e.kind for e in item.events].count("legal_type") == 1
    assert item.tracking_code in reply and "bi mat" in reply


def test_a_text_naming_a_denunciations_code_is_confidential_too(db, text, commune):
    secret = make_item(
        commune, "Tố cáo cán bộ nhận tiền.", legal_type="denunciation", contact_phone=RESIDENT
    )
    db.commit()
    reply = folded(
        text(f"{secret.tracking_code} den nay ong ay van lam viec binh thuong, chua thay ai xu ly")
    )
    _secret, follow_up = items(db)
    assert follow_up.is_denunciation and follow_up.flagged
    assert follow_up.tracking_code in reply and "bi mat" in reply


def test_a_ward_resident_hears_phuong_not_xa(db, text):
    """Replies name the commune's kind: a phường's residents never read "xã"."""
    from nghedan.models import Commune
    from nghedan.services.items.intake import receipt_sms

    commune = db.scalar(select(Commune))
    commune.kind = "phuong"
    db.commit()
    # (a reply too long for one segment with diacritics is sent without them)
    assert "phuong se bao tren loa" in folded(text("LICH")).lower()
    assert "ngung nhan tin nhan cua phuong?" in folded(text("thoi"))
    reply = folded(text("Can bo phuong doi tien moi lam giay to, toi to cao"))
    assert "nop tai ubnd phuong" in reply.lower()
    [item] = items(db)
    assert receipt_sms(item).startswith(f"Phường {commune.name} đã nhận ý kiến")
    assert " xa " not in reply.lower() and not receipt_sms(item).startswith("Xã")
