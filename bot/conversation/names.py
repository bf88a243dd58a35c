"""The parser's name catalog, read from the database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.directory import home_names, person_names
from intents.catalog import Catalog


def load_catalog(session: Session) -> Catalog:
    return Catalog(homes=tuple(home_names(session)), staff=tuple(person_names(session)))
