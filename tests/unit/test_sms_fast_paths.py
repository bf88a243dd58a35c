"""The SMS channel's fast paths (issue 19) give exactly what the slow ones gave: the GSM-7
check and septet count as one regex scan against a per-character check, the TwiML answer
written directly against Twilio's MessagingResponse, and clean_text's plain-ASCII shortcut
against the per-character filter."""

from __future__ import annotations

import random
import unicodedata

from twilio.twiml.messaging_response import MessagingResponse

from bot.conversation.receive import _BIDI_OVERRIDES, clean_text
from bot.sms.text import GSM7_BASIC, GSM7_EXTENDED, _units, is_gsm7, to_gsm7
from bot.sms.webhooks import twiml_text

ODD = ["é", "ü", "ł", "🙂", "中", "\u0301", "\t", "\u00a0", "\u2019", "\u2014", "ß", "Ä", "\r"]


def _texts(seed: int, alphabet: list[str], count: int = 3000, longest: int = 400) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, longest)))
        for _ in range(count)
    ]


def test_gsm7_check_and_septets_match_a_per_character_count() -> None:
    alphabet = sorted(GSM7_BASIC | GSM7_EXTENDED) + ODD
    for text in _texts(7, alphabet) + ["", "plain words only", "{curly} [square] ~ | € ^ \\"]:
        slow = all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)
        assert is_gsm7(text) is slow, text
        if slow:
            assert _units(text) == sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
            assert to_gsm7(text) == text


def test_twiml_is_byte_for_byte_what_messaging_response_renders() -> None:
    alphabet = list("ab &<>\"'\r\n\t;=/") + ["]]>", "é", "🙂", "\u2028", "\x85"]
    for text in [None, "", *_texts(3, alphabet, count=2000, longest=40)]:
        response = MessagingResponse()
        if text:
            response.message(text)
        assert twiml_text(text) == str(response), repr(text)


def test_clean_text_shortcut_matches_the_per_character_filter() -> None:
    alphabet = list("ab \n\t\r\x00\x7f\x1b~\x1c\x0b\x0c") + [
        "\u202e",
        "é",
        "\ue000",
        "🙂",
        "\u200d",
    ]
    for text in _texts(5, alphabet, count=3000, longest=30):
        for limit in (4000, 5):
            kept = "".join(
                ch
                for ch in text[: limit * 2]
                if ch in "\n\t"
                or (
                    unicodedata.category(ch) not in ("Cc", "Cs", "Co") and ch not in _BIDI_OVERRIDES
                )
            )
            assert clean_text(text, limit) == kept.strip()[:limit], repr(text)
