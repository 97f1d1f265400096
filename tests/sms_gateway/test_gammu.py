"""The GSM modem channel: importing gammu-smsd's `files` inbox (multipart texts joined, each
text imported once), answering through the outbox, and the corpus through this channel."""

from __future__ import annotations

import itertools
import os
import shutil
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nghedan.models import Item, Message, SmsChannel, SmsChannelFailure
from nghedan.services.sms.channels import channels_health
from sms_gateway.gammu import (
    GammuOutbox,
    check_modem,
    import_inbox,
    pending_texts,
    read_text,
)
from tests.conftest import base_config
from tests.factories import make_commune, make_officer
from tests.sms_gateway.conftest import run_pipeline
from tests.sms_gateway.corpus import LONG_TEXT
from tests.sms_gateway.replay import replay

SIM_NUMBER = "+84868000115"
RESIDENT = "+84912345678"
_serials = itertools.count()


@pytest.fixture
def app_config(database_url):
    return {**base_config(database_url), "SMS_QUIET_HOURS": "", "GAMMU_SETTLE_SECONDS": 0}


@pytest.fixture
def spool(tmp_path):
    for name in ("inbox", "outbox", "processed"):
        (tmp_path / name).mkdir()
    return tmp_path


@pytest.fixture
def channel(db, spool):
    commune = make_commune(sms_number=SIM_NUMBER)
    for code, name in (("01", "Nguyễn Thị Lan"), ("02", "Trần Văn Hùng"), ("03", "Lê Thị Thu Hà")):
        make_officer(commune, code=code, name=name)
    channel = SmsChannel(
        kind="gammu",
        name="Modem Viettel",
        commune_id=commune.id,
        phone_number=SIM_NUMBER,
        carrier="viettel",
        active=True,
        settings={
            "inbox": str(spool / "inbox"),
            "outbox": str(spool / "outbox"),
            "processed": str(spool / "processed"),
        },
    )
    db.add(channel)
    db.commit()
    return channel


def drop(inbox, sender, *parts, when="20261123_101500", serial=None, encoding="utf-8"):
    """Files as gammu-smsd writes a received text: one per part, _00, _01…"""
    serial = next(_serials) % 100 if serial is None else serial
    paths = []
    for number, text in enumerate(parts):
        path = inbox / f"IN{when}_{serial:02d}_{sender}_{number:02d}.txt"
        data = (
            text.encode(encoding) if encoding == "utf-8" else b"\xff\xfe" + text.encode("utf-16-le")
        )
        path.write_bytes(data)
        paths.append(path)
    return paths


def run_import(spool, channel, settle=0):
    """Import the inbox, then run the worker's inbound step once; the import's report, with
    the replies the worker queued."""
    report = import_inbox(
        spool / "inbox", spool / "processed", channel=channel, settle_seconds=settle
    )
    report.replies = len(run_pipeline())
    return report


def outbox(db, phone=RESIDENT):
    db.expire_all()
    return list(
        db.scalars(
            select(Message)
            .where(Message.direction == "out", Message.phone == phone)
            .order_by(Message.id)
        )
    )


def test_a_long_text_in_three_parts_is_one_opinion(db, spool, channel):
    parts = [LONG_TEXT[:153], LONG_TEXT[153:306], LONG_TEXT[306:]]
    for number in (2, 0, 1):  # the directory lists them in any order
        path = spool / "inbox" / f"IN20261123_101500_07_{RESIDENT}_{number:02d}.txt"
        path.write_text(parts[number], encoding="utf-8")
    report = run_import(spool, channel)
    assert (report.imported, report.replies) == (1, 1)
    item = db.scalar(select(Item))
    assert item.text == LONG_TEXT and item.contact_phone == RESIDENT
    inbound = db.scalar(select(Message).where(Message.direction == "in"))
    assert (inbound.channel, inbound.provider_id, inbound.service_number) == (
        "gammu",
        f"IN20261123_101500_07_{RESIDENT}",
        SIM_NUMBER,
    )
    [reply] = outbox(db)
    assert item.tracking_code in reply.body and reply.channel == f"via:{channel.id}"
    assert sorted(p.name for p in (spool / "processed").iterdir()) == [
        f"IN20261123_101500_07_{RESIDENT}_{n:02d}.txt" for n in range(3)
    ]
    assert list((spool / "inbox").glob("IN*")) == []


def test_parts_stamped_seconds_apart_join_and_two_texts_in_a_row_stay_apart(db, spool):
    inbox = spool / "inbox"
    for name, text in (
        (f"IN20261123_101500_00_{RESIDENT}_00.txt", "Một "),
        (f"IN20261123_101502_00_{RESIDENT}_02.txt", "ba"),
        (f"IN20261123_101501_00_{RESIDENT}_01.txt", "hai "),
        (f"IN20261123_101530_00_{RESIDENT}_00.txt", "Tin thứ hai"),
        ("IN20261123_101500_00_+84987654321_00.txt", "Người khác"),
    ):
        (inbox / name).write_text(text, encoding="utf-8")
    texts = pending_texts(inbox)
    assert [(t.sender, t.body()) for t in texts] == [
        (RESIDENT, "Một hai ba"),
        ("+84987654321", "Người khác"),
        (RESIDENT, "Tin thứ hai"),
    ]
    assert texts[0].key == f"IN20261123_101500_00_{RESIDENT}"


def test_texts_are_imported_once_even_when_their_files_come_back(db, spool, channel):
    drop(spool / "inbox", RESIDENT, "Đèn đường ấp Tân Hòa hư", serial=1)
    drop(spool / "inbox", "+84987654321", "TT 12345671", serial=2)
    assert run_import(spool, channel).imported == 2
    for path in (spool / "processed").iterdir():  # e.g. restored from a backup
        shutil.copy(path, spool / "inbox" / path.name)
    report = run_import(spool, channel)
    assert (report.imported, report.repeated, report.replies) == (0, 2, 0)
    assert db.scalar(select(func.count(Message.id)).where(Message.direction == "in")) == 2
    assert db.scalar(select(func.count(Message.id)).where(Message.direction == "out")) == 2


def test_a_text_whose_parts_are_still_being_written_waits(db, spool, channel):
    drop(spool / "inbox", RESIDENT, "Phần một, ", serial=3)
    assert pending_texts(spool / "inbox", settle_seconds=60) == []
    old = time.time() - 120
    for path in (spool / "inbox").iterdir():
        os.utime(path, (old, old))
    [text] = pending_texts(spool / "inbox", settle_seconds=60)
    assert text.sender == RESIDENT and text.body() == "Phần một, "


def test_unicode_files_other_files_and_bad_senders(db, spool, channel):
    drop(spool / "inbox", RESIDENT, "Trạm y tế thiếu thuốc 😢", encoding="utf-16", serial=4)
    (spool / "inbox" / "README").write_text("not a text")
    (spool / "inbox" / "IN20261123_101500_05_+84912345678_00.bin").write_bytes(b"\x00\x01")
    drop(spool / "inbox", "VIETTEL", "Khuyến mãi nạp thẻ 50%", serial=6)
    assert run_import(spool, channel).imported == 2
    assert db.scalar(select(Item)).text == "Trạm y tế thiếu thuốc 😢"
    flagged = db.scalar(select(Message).where(Message.phone == "VIETTEL"))
    assert flagged.flagged and outbox(db, "VIETTEL") == []
    assert (spool / "inbox" / "README").exists()


def test_the_import_command(runner, db, spool, channel):
    drop(spool / "inbox", RESIDENT, "GY duong ap tan loi bi sat lo", serial=8)
    result = runner.invoke(args=["gammu", "import"])
    assert result.exit_code == 0, result.output
    assert "imported 1" in result.output
    run_pipeline()
    assert db.scalar(select(Item)).text == "duong ap tan loi bi sat lo"
    result = runner.invoke(args=["gammu", "import", "--inbox", str(spool / "nowhere")])
    assert result.exit_code != 0 and "not a directory" in result.output


def test_sending_leaves_a_file_for_gammu_smsd(spool):
    outbox_dir = spool / "outbox"
    name = GammuOutbox(outbox_dir).send(RESIDENT, "Đã nhận ý kiến, mã 12345671.")
    assert name.startswith("OUTC") and name.endswith(".txt") and f"_{RESIDENT}_" in name
    raw = (outbox_dir / name).read_bytes()
    assert raw.startswith(b"\xfe\xff")  # gammu-smsd reads a BOM file as Unicode, any locale
    assert read_text(outbox_dir / name) == "Đã nhận ý kiến, mã 12345671."
    assert [p.name for p in outbox_dir.iterdir()] == [name]  # no temporary file left


def test_a_text_handed_to_gammu_before_a_worker_died_is_not_written_again(spool):
    sent = spool / "sent"
    sent.mkdir()
    outbox = GammuOutbox(spool / "outbox", message_key="nghedan-7-1", handed_over=(sent,))
    name = outbox.send(RESIDENT, "Xin chào")
    assert name.endswith(f"_{RESIDENT}_nghedan-7-1.txt")
    assert outbox.send(RESIDENT, "Xin chào") == name
    os.replace(spool / "outbox" / name, sent / name)  # gammu-smsd sent it meanwhile
    assert outbox.send(RESIDENT, "Xin chào") == name
    assert list((spool / "outbox").glob("OUT*")) == []
    other = GammuOutbox(spool / "outbox", message_key="nghedan-7-2", handed_over=(sent,))
    assert other.send(RESIDENT, "Xin chào") != name  # the next attempt is a new text


def test_the_corpus_through_the_gsm_modem(db, spool, channel):
    def send(body: str, sender: str):
        drop(spool / "inbox", sender, body)
        run_import(spool, channel)
        replies = outbox(db, sender)
        return replies[-1].body if replies else None

    assert replay(send, db) == []


def test_a_text_stuck_in_the_outbox_marks_the_modem_down(app, db, spool, channel):
    name = GammuOutbox(spool / "outbox").send(RESIDENT, "Xin chào")
    assert check_modem(channel, stuck_after=600) == "pass"
    old = time.time() - 900
    os.utime(spool / "outbox" / name, (old, old))
    assert check_modem(channel, stuck_after=600) == "fail"
    db.commit()
    [row] = channels_health()
    assert (row.state, row.down_reason) == ("down", "ping_fail")
    assert row.ping_detail["outbox_waiting"] == 1


def test_a_text_gammu_could_not_send_goes_back_to_the_queue_once(app, db, spool, channel):
    error_dir = spool / "error"
    error_dir.mkdir()
    channel.settings = {**channel.settings, "error": str(error_dir)}
    message = Message(
        direction="out",
        channel="gammu",
        provider_id="OUTC_x.txt",
        phone=RESIDENT,
        body="Xin chào",
        status="sent",
        kind="reply",
        attempts=1,
    )
    db.add(message)
    db.commit()
    (error_dir / "OUTC_x.txt").write_text("Xin chào")
    check_modem(channel, stuck_after=600)
    check_modem(channel, stuck_after=600)
    db.commit()
    db.expire_all()
    assert (message.status, message.error_code) == ("queued", "gammu-error")
    assert db.scalar(select(func.count(SmsChannelFailure.id))) == 1


def test_the_import_command_reports_the_modem(runner, db, spool, channel):
    result = runner.invoke(args=["gammu", "import", "--channel", "Modem Viettel"])
    assert result.exit_code == 0, result.output
    assert "imported 0" in result.output and "modem pass" in result.output
    db.expire_all()
    assert db.get(SmsChannel, channel.id).last_ping_at is not None


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(
        st.text(min_size=1, max_size=40).filter(
            lambda n: "/" not in n and "\x00" not in n and n not in (".", "..")
        ),
        max_size=6,
    )
)
def test_any_file_names_in_the_inbox_never_break_the_scan(tmp_path_factory, names):
    inbox = tmp_path_factory.mktemp("inbox")
    for name in names:
        try:
            (inbox / name).write_text("x")
        except OSError:
            continue
    for text in pending_texts(inbox):
        assert text.key.startswith("IN") and text.files
