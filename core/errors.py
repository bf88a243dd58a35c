"""Errors the core raises for callers to render. Messages are meant for people."""

from __future__ import annotations


class StaffbotError(Exception):
    """Base class: a problem the user can act on."""


class NotFound(StaffbotError):
    pass


class NotAllowed(StaffbotError):
    """The asking person may not see or change this."""


class InvalidInput(StaffbotError):
    pass


class DataExists(StaffbotError):
    pass
