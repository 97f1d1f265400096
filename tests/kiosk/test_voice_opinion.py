"""A spoken opinion at the kiosk: the recording checked by its content and kept as a file."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from nghedan.audio_files import UnreadableAudio, read_audio
from nghedan.models import Item, Message
from tests.audio_samples import ogg_opus, webm_3s
from tests.kiosk.conftest import form_fields

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _items(db) -> list[Item]:
    db.expire_all()
    return list(db.scalars(select(Item).order_by(Item.id)))


def _send(client, recording: bytes, name="y-kien.webm", fields=None, **data):
    if fields is None:
        page = client.get("/kiosk/opinion/write?category=roads").get_data(as_text=True)
        fields = {**form_fields(page), "category": "roads"}
    body = {**fields, **data, "recording": (io.BytesIO(recording), name)}
    response = client.post("/kiosk/opinion/voice", data=body, content_type="multipart/form-data")
    return response, fields


def _dir(app) -> Path:
    return Path(app.instance_path) / "recordings"


def _recordings(app) -> list[Path]:
    return sorted(p for p in _dir(app).rglob("*") if p.is_file())


def test_the_form_offers_speaking_when_a_microphone_is_there(kiosk_client):
    html = kiosk_client.get("/kiosk/opinion/write?category=roads").get_data(as_text=True)
    assert "Nói ý kiến" in html and "data-voice " in html
    assert 'data-max-seconds="120"' in html and "/ 2:00" in html
    assert 'enctype="multipart/form-data"' in html and "voice.js" in html
    # Hidden until the page's script finds a microphone: without one, typing as before.
    assert (
        '<div class="voice" data-voice' in html and "hidden>" in html.split("data-voice ")[1][:200]
    )


def test_a_spoken_opinion_gets_the_same_receipt_and_keeps_its_file(
    kiosk_client, app, db, commune, enrollment
):
    data = webm_3s()
    response, _ = _send(kiosk_client, data, hamlet=str(commune.hamlets[0].id), phone="0912 345 678")
    assert response.status_code == 302
    [item] = _items(db)
    assert response.headers["Location"].endswith(f"/kiosk/receipt/{item.tracking_code}")
    assert (item.text, item.channel, item.kiosk_id) == ("", "kiosk", enrollment.kiosk.id)
    [recording] = item.attachments  # the recording is the item's first attachment
    assert recording.kind == "voice" and recording.content_type == "audio/webm"
    assert recording.sha256 == hashlib.sha256(data).hexdigest()
    assert 2700 <= recording.duration_ms <= 3200
    assert recording.size == len(data) and recording.data == b""  # not in the database
    [stored] = _recordings(app)
    assert stored.read_bytes() == data and stored.relative_to(_dir(app)).as_posix() == (
        recording.storage_path
    )
    receipt = kiosk_client.get(response.headers["Location"]).get_data(as_text=True)
    assert item.tracking_code in receipt or item.tracking_code[:4] in receipt
    [sms] = db.scalars(select(Message).where(Message.item_id == item.id))
    assert item.tracking_code in sms.body
    assert [e.kind for e in item.events] == ["created", "recording"]


def test_a_resend_stores_one_item_and_one_file(kiosk_client, app, db, commune):
    first, fields = _send(kiosk_client, webm_3s())
    again, _ = _send(kiosk_client, webm_3s(), fields=fields)
    assert first.headers["Location"] == again.headers["Location"]
    [item] = _items(db)
    assert len(item.attachments) == 1 and len(_recordings(app)) == 1


def test_text_typed_beside_the_recording_is_kept(kiosk_client, db, commune):
    _send(kiosk_client, webm_3s(), text="Đường ngập")
    [item] = _items(db)
    assert item.text == "Đường ngập" and item.text_folded == "duong ngap"


def test_ogg_opus_is_accepted_too(kiosk_client, db, commune):
    response, _ = _send(kiosk_client, ogg_opus(5), name="a.ogg")
    assert response.status_code == 302
    [item] = _items(db)
    assert item.attachments[0].content_type == "audio/ogg"
    assert item.attachments[0].duration_ms == 5000


@pytest.mark.parametrize(
    ("recording", "message"),
    [
        (PNG, "Chỉ nhận bản ghi âm Opus (WebM hoặc Ogg)."),
        (b"OggS" + b"\0" * 80, "Chỉ nhận bản ghi âm Opus (WebM hoặc Ogg)."),
        (webm_3s()[:40], "Chỉ nhận bản ghi âm Opus (WebM hoặc Ogg)."),
        (ogg_opus(121.5), "Bản ghi âm dài quá 2 phút."),
        (ogg_opus(0.1), "Bản ghi âm quá ngắn."),
        (b"", "Chưa có bản ghi âm."),
    ],
    ids=["png", "broken-ogg", "cut-webm-header", "too-long", "too-short", "empty"],
)
def test_refused_recordings_store_nothing(kiosk_client, app, db, commune, recording, message):
    response, _ = _send(kiosk_client, recording, text="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "Nói ý kiến" in html  # the form again, with the message
    assert _items(db) == [] and _recordings(app) == []


def test_the_limits_are_settings(kiosk_client, app, db, commune):
    app.config.update(RECORDING_MAX_SECONDS=2)
    response, _ = _send(kiosk_client, webm_3s())
    assert response.status_code == 422
    assert "Bản ghi âm dài quá 2 giây." in response.get_data(as_text=True)
    app.config.update(RECORDING_MAX_SECONDS=120, RECORDING_MAX_BYTES=4096)
    response, _ = _send(kiosk_client, webm_3s())
    assert response.status_code == 422
    assert "Bản ghi âm quá lớn (tối đa 4 KB)." in response.get_data(as_text=True)
    assert _items(db) == [] and _recordings(app) == []


def test_the_recording_directory_is_a_setting(kiosk_client, app, db, commune, tmp_path):
    app.config.update(RECORDING_DIR=str(tmp_path / "elsewhere"))
    _send(kiosk_client, webm_3s())
    [item] = _items(db)
    assert (tmp_path / "elsewhere" / item.attachments[0].storage_path).is_file()


def test_only_an_enrolled_kiosk_may_send(client, db, commune):
    response = client.post("/kiosk/opinion/voice", data={})
    assert response.status_code in (400, 403)
    assert _items(db) == []


def test_the_container_reader_reads_or_refuses_nothing_else():
    data = webm_3s()
    assert read_audio(data).content_type == "audio/webm"
    # A recording cut short (a dropped connection) still reads; its length is what is there.
    assert 0.5 < read_audio(data[: len(data) // 2]).seconds < 2.5
    for n in range(0, len(data), 97):  # every cut or corruption: read, or refused in words
        for sample in (data[:n], data[:n] + b"\xff" * 9 + data[n + 9 :]):
            try:
                read_audio(sample)
            except UnreadableAudio:
                pass
    ogg = ogg_opus(5)
    for n in range(0, len(ogg), 3):
        for sample in (ogg[:n], ogg[:n] + b"\xff" * 4 + ogg[n + 4 :]):
            try:
                read_audio(sample)
            except UnreadableAudio:
                pass


def test_the_recorder_speaks_english_on_the_english_kiosk(kiosk_client):
    kiosk_client.get("/lang/en?next=/kiosk/")
    html = kiosk_client.get("/kiosk/opinion/write?category=roads").get_data(as_text=True)
    assert "Speak your opinion" in html and "Discard, type instead" in html
    response, _ = _send(kiosk_client, PNG)
    assert "Only Opus recordings (WebM or Ogg) are accepted." in response.get_data(as_text=True)
