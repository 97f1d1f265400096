"""Alembic environment: the schema is nghedan's models, the engine is the app's."""

from alembic import context
from flask import current_app

from nghedan import models  # noqa: F401 - registers every table on the metadata
from nghedan.extensions import db

config = context.config


def run_migrations() -> None:
    app = config.attributes.get("flask_app") or current_app
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=db.metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `nghedan db upgrade`")
run_migrations()
