"""Personal data out of stored text and logs."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# a run of 7+ digits, allowing spaces, dashes, dots, brackets and a leading +
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)

    def _phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "[phone]" if len(digits) >= 7 else match.group(0)

    return _PHONE.sub(_phone, text)
