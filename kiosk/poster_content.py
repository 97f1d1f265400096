"""What the poster shows beside the SMS number: a worked example of each keyword, taken from the
commune's own hamlets and officers, and the officers' photos embedded in the page."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from nghedan.models import Commune, Hamlet, Officer
from nghedan.services.people.officers import photo_folder
from nghedan.text import collapse_spaces
from nghedan.tracking_codes import damm_digit

EXAMPLE_CODE_STEM = "2581473"  # an example tracking code: these digits and their check digit


@dataclass(frozen=True)
class KeywordExample:
    """One row of the poster: what to type, an example exactly as sent, and what it does."""

    keyword: str
    example: str
    meaning: str


def example_code() -> str:
    """A tracking code that passes the check digit, so the example works as typed."""
    return EXAMPLE_CODE_STEM + str(damm_digit(EXAMPLE_CODE_STEM))


def keyword_examples(
    commune: Commune, hamlet: Hamlet | None, officers: list[Officer]
) -> list[KeywordExample]:
    """The poster's keywords with real examples (no placeholders to misread)."""
    active = [h for h in commune.hamlets if h.active]
    place = hamlet.name if hamlet else (active[0].name if active else "")
    code = example_code()
    rows = [
        KeywordExample(
            "GY",
            collapse_spaces(_("GY Đèn đường %(place)s bị hư hai tháng nay", place=place)),
            _("Gửi ý kiến, kiến nghị. Xã nhắn lại mã tra cứu 8 chữ số."),
        ),
        KeywordExample(
            "TT", f"TT {code}", _("Xem ý kiến có mã %(code)s đã được xử lý đến đâu.", code=code)
        ),
    ]
    if officers:
        first = officers[0]
        rows.append(
            KeywordExample(
                "DG",
                f"DG {first.code} 1",
                _(
                    "Đánh giá cán bộ %(name)s (mã %(code)s): 1 rất hài lòng, 2 hài lòng, "
                    "3 bình thường, 4 không hài lòng. Mã của cán bộ ở bảng bên dưới.",
                    name=first.name,
                    code=first.code,
                ),
            )
        )
    rows += [
        KeywordExample(
            "LICH",
            "LICH",
            _(
                "Xã nhắn lại ngày, giờ và nơi họp đối thoại sắp tới "
                "của ấp, nơi ý kiến của bà con được trả lời."
            ),
        ),
        KeywordExample("HD", "HD", _("Xã nhắn lại cách sử dụng số này.")),
        KeywordExample("HUY", "HUY", _("Không nhận tin nhắn của xã nữa. Nhắn DK để nhận lại.")),
    ]
    return rows


def photo_data_uri(officer: Officer) -> str | None:
    """The officer's photo inside the page (the poster is printed on its own), or None."""
    if not officer.photo_path:
        return None
    folder = photo_folder()
    path = (Path(folder) / officer.photo_path).resolve()
    kind = mimetypes.guess_type(path.name)[0]
    inside = path.is_relative_to(Path(folder).resolve())
    if not inside or kind not in ("image/jpeg", "image/png") or not path.is_file():
        return None
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
