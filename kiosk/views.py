"""Kiosk screens: home, rate an officer, leave an opinion, receipt, look up a code."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from kiosk.device import (
    DEVICE_COOKIE,
    client_key,
    current_kiosk,
    new_screen_key,
    set_device_cookie,
)
from kiosk.wording import (
    commune_title,
    domain_error,
    legal_note,
    legal_type_labels,
    lookup_problem,
    next_dialogue_line,
    public_status,
    reason_labels,
    receipt_heading,
    score_labels,
)
from nghedan import qr
from nghedan.errors import ValidationError
from nghedan.models import Item, Officer
from nghedan.models.ratings import LOW_SCORES
from nghedan.phones import display
from nghedan.refusals import on_refusal
from nghedan.services.dialogues import plan as dialogues
from nghedan.services.items.categories import ordered_categories
from nghedan.services.items.intake import create_item_with_receipt, item_by_code
from nghedan.services.people import kiosks
from nghedan.services.people.officers import active_officers, officer_of, photo_folder
from nghedan.services.people.ratings import record_rating
from nghedan.text import fold_diacritics

KIOSK_LEGAL_TYPES = ("opinion", "complaint", "denunciation")
# The step of the opinion form that shows a refused field again (the others: the first step).
STEP_OF_ERROR = {"unknown_hamlet": "where", "bad_phone": "contact"}


def never_cache(response):
    """A resident's text must not come back from the browser's cache for the next resident."""
    if request.endpoint != "kiosk.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def kiosk_globals() -> dict:
    """The kiosk and its commune's title, in every kiosk template."""
    kiosk = g.get("kiosk")
    return {"kiosk": kiosk, "place": commune_title(kiosk.commune) if kiosk else ""}


def csrf_failed(_error):
    """A form sent with a stale or missing CSRF token."""
    # CSRF is checked before the kiosk is: a browser that is not a kiosk learns nothing more.
    g.kiosk = kiosks.kiosk_for_device(request.cookies.get(DEVICE_COOKIE))
    if g.kiosk is None:
        return render_template("kiosk/not_set_up.html"), 403
    # The page's script fetches a fresh token and sends again, keeping what was typed.
    html = render_template("kiosk/message.html", title=_("Vui lòng bấm gửi lại."))
    return html, 400, {"X-Kiosk-Csrf": "expired"}


def enroll(token: str):
    """Open the one-time enrollment URL: this browser becomes the kiosk."""
    if kiosks.kiosk_for_device(request.cookies.get(DEVICE_COOKIE)) is not None:
        return redirect(url_for(".home"))  # already enrolled: the start script reopens this URL
    enrolled = kiosks.enroll(token)
    if enrolled is None:
        return render_template("kiosk/not_set_up.html"), 403
    _kiosk, device_token = enrolled
    response = redirect(url_for(".home"))
    set_device_cookie(response, device_token)
    return response


def home():
    return render_template("kiosk/home.html")


def fresh_csrf():
    """A fresh CSRF token for a page that was open while its token went stale."""
    return jsonify(csrf_token=generate_csrf())


# --- rating an officer ------------------------------------------------------------------


def officers():
    by_name = active_officers(current_kiosk().commune_id)
    found = sorted(by_name, key=lambda o: o.desk)  # by desk, then (stable) by name
    return render_template("kiosk/officers.html", officers=found)


def faces(officer_id: int):
    return _faces_page(_officer(officer_id))


def _faces_page(officer: Officer) -> str:
    return render_template(
        "kiosk/faces.html",
        officer=officer,
        scores=score_labels(),
        low_scores=LOW_SCORES,
        screen_key=new_screen_key(),
    )


def why(officer_id: int):
    score = request.args.get("score", type=int)
    if score not in LOW_SCORES:
        return redirect(url_for(".faces", officer_id=officer_id))
    return _why_page(_officer(officer_id), score)


def _why_page(officer, score, error=None) -> str:
    form = request.form if request.method == "POST" else {}
    return render_template(
        "kiosk/why.html",
        officer=officer,
        score=score,
        scores=score_labels(),
        reasons=reason_labels(),
        chosen=set(request.form.getlist("reason")),
        comment=form.get("comment", ""),
        error=error,
        screen_key=form.get("screen_key") or new_screen_key(),
    )


def rate(officer_id: int):
    officer = _officer(officer_id)
    score = request.form.get("score", type=int)
    if score in LOW_SCORES:  # the reasons page again, with what was chosen and why not
        on_refusal(lambda e: _why_page(officer, score, domain_error(e)))
    else:  # only a tampered form gets here: the faces again
        on_refusal(lambda e: _faces_page(officer))
    window = timedelta(seconds=int(current_app.config["KIOSK_RATING_WINDOW_SECONDS"]))
    record_rating(
        officer_id=officer.id,
        score=score,
        channel="kiosk",
        reasons=request.form.getlist("reason"),
        comment=request.form.get("comment"),
        kiosk_id=current_kiosk().id,
        client_key=client_key(request.form.get("screen_key")),
        kiosk_window=window,
    )
    # A repeat inside the throttle window is ignored (and counted): the resident sees thanks.
    return redirect(url_for(".thanks"))


def thanks():
    return render_template("kiosk/thanks.html")


def officer_photo(officer_id: int):
    officer = _officer(officer_id)
    if not officer.photo_path:
        abort(404)
    return send_from_directory(photo_folder(), officer.photo_path, max_age=3600)


def _officer(officer_id: int) -> Officer:
    officer = officer_of(current_kiosk().commune_id, officer_id)
    if officer is None or not officer.active:
        abort(404)
    return officer


# --- an opinion -------------------------------------------------------------------------


def categories():
    return render_template("kiosk/categories.html", categories=ordered_categories())


def write():
    return write_page({"category": request.args.get("category", "")})


def send_opinion():
    item = create_item_with_receipt(**opinion_fields(request.form))
    return redirect(url_for(".receipt", code=item.tracking_code))


def opinion_fields(form) -> dict:
    """The opinion form as intake's fields (typed or spoken); a refusal shows the form again."""
    on_refusal(lambda e: write_page(form, domain_error(e), step=STEP_OF_ERROR.get(e.code, "what")))
    legal_type = form.get("legal_type") or "opinion"
    if legal_type not in KIOSK_LEGAL_TYPES:
        raise ValidationError("bad legal type", code="bad_legal_type")
    return dict(
        commune_id=current_kiosk().commune_id,
        text=form.get("text", ""),
        channel="kiosk",
        hamlet_id=form.get("hamlet", type=int),
        category_code=form.get("category") or None,
        legal_type=legal_type,
        contact_phone=form.get("phone"),
        contact_name=form.get("name"),
        kiosk_id=current_kiosk().id,
        client_key=client_key(form.get("screen_key")),
    )


def write_page(values, error=None, step="what") -> str:
    chosen = next((c for c in ordered_categories() if c.code == values.get("category")), None)
    hamlets = sorted(
        (h for h in current_kiosk().commune.hamlets if h.active),
        key=lambda h: fold_diacritics(h.name),
    )  # "Ấp Tân Hòa" before "Khóm 1"
    return render_template(
        "kiosk/write.html",
        values=values,
        category=chosen,
        hamlets=hamlets,
        legal_types=legal_type_labels(),
        error=error,
        error_step="what" if step == "where" and not hamlets else step,
        screen_key=values.get("screen_key") or new_screen_key(),
    )


def receipt(code: str):
    item = item_by_code(code)
    if item is None or item.kiosk_id != current_kiosk().id:
        abort(404)
    commune, base = item.commune, qr.residents_base_url()
    link = base + url_for("public.status_page", code=item.tracking_code) if base else None
    return render_template(
        "kiosk/receipt.html",
        item=item,
        qr_svg=qr.svg(link, link) if link else None,
        link=link,
        sms_number=display(commune.sms_number) if commune.sms_number else None,
        heading=receipt_heading(item),
        legal_note=legal_note(item),
        next_dialogue=_next_dialogue(item),
    )


def _next_dialogue(item: Item) -> str | None:
    """The next dialogue of the item's hamlet (of the commune when none was chosen); a
    denunciation is never raised at a dialogue, so its receipt names none."""
    if item.is_denunciation:
        return None
    found = dialogues.next_for_residents(item.commune_id, item.hamlet_id)
    return next_dialogue_line(found[0], item.hamlet) if found else None


# --- looking up a code ------------------------------------------------------------------


def lookup():
    raw = request.args.get("code")
    if raw is None:
        return render_template("kiosk/lookup.html", typed="", result=None, problem=None)
    found = kiosks.lookup(raw, commune_id=current_kiosk().commune_id)
    return render_template(
        "kiosk/lookup.html",
        typed=found.code,
        result=public_status(found.item) if found.item else None,
        problem=lookup_problem(found.problem) if found.problem else None,
    )
