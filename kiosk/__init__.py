"""The touchscreen kiosk at the commune office (blueprint at /kiosk) and the public pages.

`bp` serves enrolled kiosk screens only; `public_bp` serves what anyone may see: the status
page of a tracking code (`/t/<code>`) and the printable poster of a commune or hamlet.
This file is the routing table; the views live in `kiosk.views` (a spoken opinion in
`kiosk.voice`, the screens' recorded prompts in `kiosk.prompts`) and `kiosk.public`.
"""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static")
public_bp = Blueprint("public", __name__, template_folder="templates")


def _kiosk_routes() -> None:
    from flask_wtf.csrf import CSRFError

    from kiosk import prompts, views, voice
    from kiosk.device import require_enrolled_kiosk

    bp.before_request(require_enrolled_kiosk)
    bp.after_request(views.never_cache)
    bp.context_processor(views.kiosk_globals)
    bp.context_processor(prompts.speaker)
    bp.register_error_handler(CSRFError, views.csrf_failed)
    rule = bp.add_url_rule
    rule("/enroll/<token>", "enroll", views.enroll)
    rule("/", "home", views.home)
    rule("/csrf", "fresh_csrf", views.fresh_csrf)
    rule("/rate", "officers", views.officers)
    rule("/rate/<int:officer_id>", "faces", views.faces)
    rule("/rate/<int:officer_id>", "rate", views.rate, methods=["POST"])
    rule("/rate/<int:officer_id>/why", "why", views.why)
    rule("/thanks", "thanks", views.thanks)
    rule("/officers/<int:officer_id>/photo", "officer_photo", views.officer_photo)
    rule("/opinion", "categories", views.categories)
    rule("/opinion/write", "write", views.write)
    rule("/opinion/write", "send_opinion", views.send_opinion, methods=["POST"])
    rule("/opinion/voice", "send_spoken_opinion", voice.send_spoken_opinion, methods=["POST"])
    rule("/receipt/<code>", "receipt", views.receipt)
    rule("/lookup", "lookup", views.lookup)
    rule("/prompts/<int:prompt_id>", "prompt_audio", prompts.prompt_audio)


def _public_routes() -> None:
    from kiosk import public

    rule = public_bp.add_url_rule
    rule("/t/", "lookup_form", public.lookup_form)
    rule("/t/<code>", "status_page", public.status_page)
    rule("/poster/<commune_code>", "poster", public.poster)


_kiosk_routes()
_public_routes()
