import pytest

from core.errors import InvalidInput
from core.phones import PhoneVault, mask_phone, normalise_phone


@pytest.mark.parametrize(
    "raw",
    ["07700 900123", "+44 7700 900123", "+44 (0)7700-900123", "00447700900123", "447700900123"],
)
def test_uk_formats_normalise_to_e164(raw):
    assert normalise_phone(raw) == "+447700900123"


@pytest.mark.parametrize("raw", ["", "hello", "12"])
def test_non_numbers_are_refused_with_a_message(raw):
    with pytest.raises(InvalidInput):
        normalise_phone(raw)


def test_mask_keeps_only_country_code_and_last_three_digits():
    masked = mask_phone("+447700900123")
    assert masked.startswith("+44") and masked.endswith("123")
    assert "7700900" not in masked


def test_vault_encrypts_and_hashes_with_the_key():
    vault = PhoneVault("k1")
    token = vault.encrypt("+447700900123")
    assert "7700" not in token
    assert vault.decrypt(token) == "+447700900123"
    assert vault.lookup_hash("+447700900123") == PhoneVault("k1").lookup_hash("+447700900123")
    assert vault.lookup_hash("+447700900123") != PhoneVault("k2").lookup_hash("+447700900123")
