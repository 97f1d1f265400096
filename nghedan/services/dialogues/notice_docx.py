"""The conclusion notice as a Word file, in the Decree 30/2020 layout, for communes to sign."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from nghedan.services.dialogues.notices import NoticeDocument, NoticeEntry, recipient_lines
from nghedan.text import xml_safe

FONT = "Times New Roman"
BODY_PT = 14
# Decree 30/2020: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADER_COLUMNS_MM = (65, 100)
FOOTER_COLUMNS_MM = (80, 85)
SECTIONS = (
    ("resolved", "I. NHỮNG NỘI DUNG ĐÃ GIẢI QUYẾT TẠI HỘI NGHỊ"),
    ("will_resolve", "II. NHỮNG NỘI DUNG UBND XÃ TIẾP TỤC GIẢI QUYẾT"),
    ("escalated", "III. NHỮNG NỘI DUNG KIẾN NGHỊ CẤP TRÊN"),
    ("explained", "IV. NHỮNG NỘI DUNG ĐÃ GIẢI THÍCH, TRẢ LỜI"),
)


def notice_docx(notice: NoticeDocument) -> bytes:
    """A .docx of the notice: A4, Times New Roman 14 pt, the official margins."""
    doc = Document()
    _page(doc)
    _header(doc, notice)
    _title(doc, notice)
    _para(doc, notice.opening, indent=True)
    for key, heading in SECTIONS:
        entries = getattr(notice, key)
        if entries:
            _para(doc, heading, bold=True)
            for n, entry in enumerate(entries, start=1):
                _entry(doc, n, key, entry)
    _para(
        doc,
        "Ủy ban nhân dân thông báo để các cơ quan, đơn vị và Nhân dân được biết, thực hiện./.",
        indent=True,
    )
    _footer(doc, notice)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    # East Asian text falls back to another font unless this is set too.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.15
    _page_numbers(section)


def _page_numbers(section) -> None:
    """Decree 30: the page number centred at the top, from the second page on."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _run(paragraph, text: str, *, bold=False, italic=False, underline=False, size=BODY_PT):
    run = paragraph.add_run(xml_safe(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    return run


def _para(
    doc_or_cell,
    text: str = "",
    *,
    bold=False,
    italic=False,
    indent=False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    size=BODY_PT,
    space_after=6,
):
    paragraph = doc_or_cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _rule(container, line_mm: float, width_mm: float, *, space_after: int = 0):
    """A short horizontal line, centred: an empty paragraph's bottom border, indented."""
    paragraph = container.add_paragraph()
    side = Mm(max((width_mm - line_mm) / 2, 0))
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = side
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(space_after), Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    _run(paragraph, "", size=2)
    return paragraph


def _two_columns(doc, widths_mm: tuple[int, int]):
    """A borderless two-cell table whose grid has the same widths as its cells."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths_mm, strict=True):
        column.width = Mm(width)  # the <w:gridCol> LibreOffice lays the table out by
        cell.width = Mm(width)
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return table.rows[0].cells


def _cell_line(cell, text: str, *, first=False, size=13, **style):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size=size, **style)
    return paragraph


def _header(doc, notice: NoticeDocument) -> None:
    left, right = _two_columns(doc, HEADER_COLUMNS_MM)
    cell_mm = HEADER_COLUMNS_MM[0] - 4  # less the cell's own margins
    _cell_line(left, notice.issuer[0], first=True, bold=True)
    _cell_line(left, notice.issuer[1], bold=True)
    _rule(left, 25, cell_mm, space_after=4)
    _cell_line(left, f"Số: {notice.number}")
    _cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, bold=True, size=12)
    _cell_line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _rule(right, 62, HEADER_COLUMNS_MM[1] - 4, space_after=8)
    _cell_line(right, notice.place_date, italic=True, size=14)


def _title(doc, notice: NoticeDocument) -> None:
    _para(doc, "", space_after=0)
    _para(doc, "THÔNG BÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, notice.summary, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _rule(doc, 40, TEXT_WIDTH_MM, space_after=12)


def _entry(doc, n: int, key: str, entry: NoticeEntry) -> None:
    where = f" ({entry.hamlet})" if entry.hamlet else ""
    paragraph = _para(doc, indent=True)
    _run(paragraph, f"{n}. Ý kiến{where}, mã {entry.code}: ", bold=True)
    _run(paragraph, entry.question, italic=True)
    answer = _para(doc, indent=True)
    _run(answer, "Trả lời: ", bold=True)
    _run(answer, entry.answer or "")
    if key == "will_resolve":
        _para(
            doc,
            f"Giao {entry.responsible} giải quyết, thời hạn hoàn thành trước ngày {entry.due}.",
            indent=True,
        )
    elif key == "escalated":
        _para(doc, f"Kiến nghị {entry.body} xem xét, giải quyết.", indent=True)


def _footer(doc, notice: NoticeDocument) -> None:
    _para(doc, "", space_after=0)
    left, right = _two_columns(doc, FOOTER_COLUMNS_MM)
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(first, "Nơi nhận:", bold=True, italic=True, size=12)
    for text in recipient_lines(notice.recipients):
        line = left.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        _run(line, text, size=11)
    _cell_line(right, notice.signing_authority, first=True, bold=True)
    _cell_line(right, notice.signing_title, bold=True)
    for _ in range(4):
        _cell_line(right, "")
    _cell_line(right, notice.signer, bold=True, size=14)
