"""The categories an item is filed under (land, roads, …), as every surface lists them."""

from __future__ import annotations

from sqlalchemy import select

from nghedan.extensions import db
from nghedan.models import Category


def ordered_categories() -> list[Category]:
    """Every category in the commune's display order (the kiosk's buttons, Open311's list)."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def category_id(code: str) -> int | None:
    """The id of the category with this code (Open311's service_code), or None."""
    return db.session.scalar(select(Category.id).where(Category.code == code))
