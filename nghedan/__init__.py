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
    register_commands(app)
    return app


def register_converters(app: Flask) -> None:
    from nghedan.request_args import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from nghedan import i18n
    from nghedan.database import register_engine, register_transaction_boundary
    from nghedan.extensions import csrf, db
    from nghedan.formatting import register_filters
    from nghedan.logs import configure_logging
    from nghedan.security import register_security_headers

    db.init_app(app)
    register_engine(app)
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


def register_commands(app: Flask) -> None:
    """Every `nghedan …` command group, each area's own (nghedan/cli.py has what they share)."""
    from kiosk.cli import kiosk_cli, poster
    from nghedan import commands
    from nghedan.jobs import jobs_cli
    from open311.cli import api_key_cli
    from sms_gateway.catch_up import twilio_cli
    from sms_gateway.channels_cli import channel_cli, gammu_cli
    from sms_gateway.cli import outbox_cli, worker_command
    from sms_gateway.zalo_cli import zalo_cli

    app.cli.add_command(commands.db_cli)
    app.cli.add_command(commands.user_cli)
    app.cli.add_command(commands.commune_cli)
    app.cli.add_command(commands.seed_demo)
    app.cli.add_command(commands.backup_command)
    app.cli.add_command(commands.restore_command)
    app.cli.add_command(commands.purge_command)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(channel_cli)
    app.cli.add_command(gammu_cli)
    app.cli.add_command(twilio_cli)
    app.cli.add_command(zalo_cli)
    app.cli.add_command(kiosk_cli)
    app.cli.add_command(poster)
    app.cli.add_command(api_key_cli)
