"""The parser's name catalog, read from the database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.directory import DirectoryNames, home_names, person_names
from intents.catalog import Catalog


def load_catalog(session: Session) -> Catalog:
    return Catalog(homes=tuple(home_names(session)), staff=tuple(person_names(session)))


def catalog_of(names: DirectoryNames) -> Catalog:
    """The catalog of names a core query read (``core.directory.directory_names``)."""
    return Catalog(homes=names.homes, staff=names.staff)
