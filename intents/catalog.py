"""Names the parser needs from the organisation: homes and people.

The parser never touches the database; a caller builds a ``Catalog`` (from the
database, see ``core.directory.name_catalog``) and hands it over.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Catalog:
    """Canonical names, exactly as stored in the database."""

    homes: tuple[str, ...]
    staff: tuple[str, ...]
