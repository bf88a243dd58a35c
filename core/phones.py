"""Phone numbers: E.164 normalisation, encryption at rest, a keyed hash for look-up, masking.

The key comes from ``STAFFBOT_SECRET_KEY`` (or a demo's own key: core/secrets.py); the
database never holds a number in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from core.config import load_settings
from core.errors import InvalidInput
from core.secrets import require_key


def normalise_phone(raw: str, default_country: str = "44") -> str:
    """``07700 900123``, ``+44 (0)7700-900123``, ``00447700900123`` -> ``+447700900123``."""
    text = raw.strip()
    plus = text.startswith("+")
    digits = re.sub(r"\D", "", text)
    if not digits:
        raise InvalidInput("That is not a phone number.")
    if plus:
        if digits.startswith("440"):
            digits = "44" + digits[3:]  # "+44 (0)7700..." written with the trunk zero
        number = "+" + digits
    elif digits.startswith("00"):
        number = "+" + digits[2:]
    elif digits.startswith("0"):
        number = "+" + default_country + digits[1:]
    else:
        number = "+" + digits
    if not 8 <= len(number) - 1 <= 15:
        raise InvalidInput("That is not a phone number.")
    return number


def mask_phone(number: str | None) -> str:
    """For logs: keep the country code and last three digits only."""
    if not number:
        return "-"
    return number[:3] + "*" * max(0, len(number) - 6) + number[-3:]


class PhoneVault:
    def __init__(self, secret: str) -> None:
        material = hashlib.sha256(("phone-encryption:" + secret).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(material))
        self._hash_key = hashlib.sha256(("phone-lookup:" + secret).encode()).digest()

    def encrypt(self, number: str) -> str:
        return self._fernet.encrypt(number.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()

    def lookup_hash(self, number: str) -> str:
        return hmac.new(self._hash_key, number.encode(), hashlib.sha256).hexdigest()


def vault_for(secret: str | None) -> PhoneVault:
    """The vault for a key; no key is ``MissingSecret`` (never a default key)."""
    return _vault(require_key(secret))


@lru_cache(maxsize=4)
def _vault(secret: str) -> PhoneVault:
    return PhoneVault(secret)


def default_vault() -> PhoneVault:
    return vault_for(load_settings().secret_key)


def protect_phone(number: str) -> str:
    return default_vault().encrypt(normalise_phone(number))


def phone_hash(number: str) -> str:
    return default_vault().lookup_hash(normalise_phone(number))


def reveal_phone(token: str | None) -> str | None:
    return None if token is None else default_vault().decrypt(token)


def reencrypt_phones(session: Session, old_key: str, new_key: str) -> int:
    """Every stored number and look-up hash, from ``old_key`` to ``new_key`` (the caller's
    unit of work commits). Returns how many people's numbers were rewritten."""
    from sqlalchemy import select

    from core.models import Person

    old, new = vault_for(old_key), vault_for(new_key)
    changed = 0
    for person in session.scalars(select(Person).where(Person.phone.is_not(None))):
        if person.phone is None:  # excluded by the query; narrows the type
            continue
        number = old.decrypt(person.phone)  # InvalidToken: old_key is not the one in use
        person.phone = new.encrypt(number)
        person.phone_hash = new.lookup_hash(number)
        changed += 1
    return changed
