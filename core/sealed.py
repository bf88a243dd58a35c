"""Free-text reasons sealed at rest: sickness causes ("I've got covid"), decline and
withdrawal reasons, leave notes. Stored encrypted under the same secret key as phone
numbers (core/secrets.py), readable only through the application.

``SealedText`` is a column type: the ORM and SQLAlchemy Core statements encrypt on the way
in and decrypt on the way out, so callers read and write plain strings. A value written
before sealing existed has no prefix and is read as it is; ``staffbot secret rotate``
re-seals every value (``reseal_reasons``), legacy ones included.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import Text, select, type_coerce, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import TypeDecorator

from core.secrets import require_key

PREFIX = "s1:"


class Sealer:
    def __init__(self, secret: str) -> None:
        material = hashlib.sha256(("reason-encryption:" + secret).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(material))

    def seal(self, text: str) -> str:
        return PREFIX + self._fernet.encrypt(text.encode()).decode()

    def open(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # written before reasons were sealed
        return self._fernet.decrypt(stored[len(PREFIX) :].encode()).decode()


@lru_cache(maxsize=4)
def sealer_for(secret: str) -> Sealer:
    return Sealer(require_key(secret))


def current_sealer() -> Sealer:
    """The sealer for the configured key (``STAFFBOT_SECRET_KEY`` or a demo's own)."""
    return _sealer_for_environment(
        os.environ.get("STAFFBOT_SECRET_KEY"), os.environ.get("STAFFBOT_DATABASE_URL")
    )


@lru_cache(maxsize=4)
def _sealer_for_environment(key: str | None, database_url: str | None) -> Sealer:
    from core.config import load_settings

    return sealer_for(require_key(load_settings().secret_key))


class SealedText(TypeDecorator[str]):
    """Text encrypted at rest; plain strings for every caller."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return current_sealer().seal(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return current_sealer().open(str(value))


def reseal_reasons(session: Session, columns: list[Any], old_key: str, new_key: str) -> int:
    """Every sealed value of ``columns`` (ORM attributes such as ``Offer.reason``) from
    ``old_key`` to ``new_key``, read and written raw; the caller's unit of work commits."""
    old, new = sealer_for(old_key), sealer_for(new_key)
    changed = 0
    for column in columns:
        table = column.table
        key = table.primary_key.columns.values()[0]
        raw: ColumnElement[Any] = type_coerce(column.expression, Text)  # no decrypting
        rows = session.execute(select(key, raw).where(column.expression.is_not(None))).all()
        for row_id, stored in rows:
            session.execute(
                update(table)
                .where(key == row_id)
                .values({column.key: type_coerce(new.seal(old.open(stored)), Text)})
            )
            changed += 1
    return changed
