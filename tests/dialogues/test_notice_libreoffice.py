"""The .docx as a word processor lays it out: LibreOffice converts it to PDF, we read the PDF.

LibreOffice (`soffice`) and poppler-utils (`pdftotext`, `pdftoppm`) are test prerequisites,
installed by `make test` like Chromium; without them these tests fail, they never skip.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from nghedan.services.dialogues.notice_docx import notice_docx
from nghedan.services.dialogues.notices import NoticeDocument, NoticeEntry
from tests.browser.conftest import ARTIFACTS

TOOLS = ("soffice", "pdftotext", "pdftoppm")
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: run 'make test' as root, or apt-get install -y "
            "--no-install-recommends libreoffice-writer-nogui poppler-utils"
        )
    return path


def _notice(place_date: str, entries: int = 12) -> NoticeDocument:
    long = (
        "Đề nghị UBND xã sửa chữa tuyến đường liên ấp đoạn gần trường tiểu học bị sụt "
        "lún, mùa mưa ngập nước, học sinh đi lại khó khăn và nguy hiểm \x01\x1b."
    )
    return NoticeDocument(
        issuer=("ỦY BAN NHÂN DÂN", "XÃ TÂN THẠNH"),
        number="     /TB-UBND",
        place_date=place_date,
        summary=(
            "Kết luận của Phó Chủ tịch UBND xã Tân Thạnh tại Hội nghị đối thoại với "
            "Nhân dân ấp Tân Phú, ấp Tân Hòa"
        ),
        opening="Vào lúc 14 giờ 00 ngày 05 tháng 3 năm 2026, tại Nhà văn hóa ấp Tân Phú, "
        "Ủy ban nhân dân xã Tân Thạnh tổ chức hội nghị đối thoại với Nhân dân.",
        resolved=[
            NoticeEntry(
                code=f"1234567{n}",
                question=long,
                answer="UBND xã giao Ban nhân dân ấp vận động nạo vét mương.",
                hamlet="ấp Tân Phú",
            )
            for n in range(entries)
        ],
        recipients=["Ban nhân dân ấp Tân Phú", "Ủy ban MTTQ Việt Nam xã", "Lưu: VT, VP"],
        signing_authority="KT. CHỦ TỊCH",
        signing_title="PHÓ CHỦ TỊCH",
        signer="Phạm Thị Hoa",
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    """The notice of 23 November 2026 converted to PDF by LibreOffice."""
    soffice = _tool("soffice")
    out = tmp_path_factory.mktemp("notice-pdf")
    source = out / "notice.docx"
    source.write_bytes(notice_docx(_notice("Tân Thạnh, ngày 23 tháng 11 năm 2026")))
    profile = out / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / "notice.pdf"
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"
    return pdf


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def test_motto_and_date_line_each_stay_on_one_line(converted):
    lines = _pdf_text(converted).splitlines()
    assert any(MOTTO in line for line in lines), "the motto wrapped"
    assert any("Tân Thạnh, ngày 23 tháng 11 năm 2026" in line for line in lines), (
        "the date line wrapped"
    )
    assert any("Độc lập - Tự do - Hạnh phúc" in line for line in lines)
    assert any("XÃ TÂN THẠNH" in line for line in lines)
    assert any("- Lưu: VT, VP." in line for line in lines)


def test_page_numbers_from_page_two_at_the_top(converted):
    pages = _pdf_text(converted).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2, "the test notice should run over two pages"
    assert MOTTO in pages[0].strip().splitlines()[0]  # no number above page 1's header
    for n, page in enumerate(pages[1:], start=2):
        assert page.strip().splitlines()[0].strip() == str(n)


def test_pages_are_kept_as_pictures(converted):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("notice-docx-page-*.png"):
        old.unlink()
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", "70", str(converted), str(folder / "notice-docx-page")],
        check=True,
        timeout=120,
    )
    assert sorted(folder.glob("notice-docx-page-*.png"))


@pytest.mark.parametrize("words", ["ngày 05 tháng 3 năm 2026", "ngày 15 tháng 02 năm 2026"])
def test_short_dates_also_fit(words, tmp_path):
    source = tmp_path / "notice.docx"
    source.write_bytes(notice_docx(_notice(f"Tân Thạnh, {words}", entries=1)))
    subprocess.run(
        [
            _tool("soffice"),
            f"-env:UserInstallation=file://{tmp_path / 'p'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert any(
        f"Tân Thạnh, {words}" in line for line in _pdf_text(tmp_path / "notice.pdf").splitlines()
    )
