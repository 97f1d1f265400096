"""nghedan: residents' opinions by kiosk and SMS, triage and dialogues for communes."""

from __future__ import annotations

from flask import Flask

from nghedan.config import load_settings


def create_app(config: dict | None = None) -> Flask:
    """Build the WSGI application: settings, extensions, blueprints, CLI, error handlers."""
    app = Flask(__name__, instance_relative_config=True)
    register_converters(app)
    load_settings(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    return app


def register_converters(app: Flask) -> None:
    from nghedan.request_args import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from nghedan import i18n
    from nghedan.database import register_transaction_boundary
    from nghedan.extensions import csrf, db
    from nghedan.formatting import register_filters
    from nghedan.logs import configure_logging
    from nghedan.security import register_security_headers

    db.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    configure_logging(app)  # registered first, so its after_request runs after the commit
    register_transaction_boundary(app)
    register_filters(app)
    register_security_headers(app)
    hops = int(app.config["PROXY_FIX_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def register_blueprints(app: Flask) -> None:
    from admin import bp as admin_bp
    from kiosk import bp as kiosk_bp
    from kiosk import public_bp
    from nghedan import public_notices, web
    from open311 import bp as open311_bp
    from sms_gateway import bp as sms_bp
    from sms_gateway.zalo_webhook import zalo_bp

    app.register_blueprint(web.bp)
    app.register_blueprint(kiosk_bp, url_prefix="/kiosk")
    app.register_blueprint(public_bp)
    app.register_blueprint(public_notices.bp)
    app.register_blueprint(sms_bp, url_prefix="/sms")
    app.register_blueprint(zalo_bp, url_prefix="/zalo")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(open311_bp, url_prefix="/open311/v2")
    web.register_error_handlers(app)


def register_cli(app: Flask) -> None:
    from nghedan import cli

    cli.register(app)
