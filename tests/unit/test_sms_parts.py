"""SMS building blocks without I/O: keywords, GSM-7 text, pacing, Twilio error sorting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from twilio.base.exceptions import TwilioRestException

from bot.sms.inbound import clean_body
from bot.sms.keywords import Keyword, carrier_keyword, is_bare_yes
from bot.sms.sender import Pacer, RedirectingHttpClient, classify
from bot.sms.text import fit_sms, is_gsm7, segments, to_gsm7


@pytest.mark.parametrize(
    "body,expected",
    [
        ("STOP", Keyword.STOP),
        ("  stop  ", Keyword.STOP),
        ("Stop!", Keyword.STOP),
        ("STOP.", Keyword.STOP),
        ("unsubscribe", Keyword.STOP),
        ("OPTOUT", Keyword.STOP),
        ("Ｓｔｏｐ", Keyword.STOP),  # full-width letters from some keyboards
        ("start", Keyword.START),
        ("UNSTOP", Keyword.START),
        ("help", Keyword.HELP),
        ("Info?", Keyword.HELP),
        ("stop it", None),
        ("please stop", None),
        ("yes", None),
        ("", None),
        ("end of shift", None),
    ],
)
def test_carrier_keywords_match_only_the_whole_message(body, expected):
    assert carrier_keyword(body) is expected


def test_twilios_opt_out_type_wins_over_the_words():
    assert carrier_keyword("ARRET", "STOP") is Keyword.STOP
    assert carrier_keyword("stop", "START") is Keyword.START
    assert carrier_keyword("stop", "SOMETHING-NEW") is Keyword.STOP


def test_bare_yes():
    assert is_bare_yes("Yes!") and is_bare_yes(" YES ")
    assert not is_bare_yes("yes please") and not is_bare_yes("YES 42")


def test_typographic_characters_become_gsm7():
    assert to_gsm7("It’s “fine” – ok…") == 'It\'s "fine" - ok...'
    assert to_gsm7("Siobhán") == "Siobhan" and to_gsm7("Zoë") == "Zoe"
    assert to_gsm7("café") == "café"  # é is in GSM-7 already
    assert not is_gsm7(to_gsm7("thanks 👍"))  # no look-alike: sent as UCS-2


def test_segments_count_the_encoding():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # extension: 2 septets
    assert segments("й" * 70) == 1 and segments("й" * 71) == 2


@given(st.text(max_size=3000))
def test_fitted_text_never_exceeds_its_segments(text):
    fitted = fit_sms(text, max_segments=3)
    assert segments(fitted) <= 3


def test_long_text_is_cut_at_a_word():
    fitted = fit_sms("shift " * 200, max_segments=1)
    assert fitted.endswith("shift...") and segments(fitted) == 1


def test_clean_body_drops_control_characters_and_keeps_lines():
    assert clean_body("a\x00b\x1b[31mc\r\nd\u202e") == "ab[31mc\nd"
    assert len(clean_body("x" * 5000)) == 1600


def test_pacer_spaces_sends_per_number_without_really_sleeping():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(2.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        pacer.wait("+447700900999")
    pacer.wait("+447700900998")  # another sending number has its own budget
    assert slept == [0.5, 0.5]
    assert Pacer(0).wait("x") == 0.0  # 0 = unpaced


def _error(status, code, msg="The 'To' number +447700900123 is not a valid phone number."):
    return TwilioRestException(status, "https://api.twilio.com/x", msg, code=code)


@pytest.mark.parametrize(
    "status,code,permanent",
    [
        (400, 21211, True),
        (400, 21610, True),
        (400, 21614, True),
        (400, 21408, True),
        (400, 21602, True),
        (429, 20429, False),
        (500, None, False),
        (503, None, False),
        (401, 20003, False),
    ],
)
def test_twilio_errors_are_sorted_into_temporary_and_permanent(status, code, permanent):
    error = classify(_error(status, code), "+447700900123")
    assert error.permanent is permanent
    assert "900123" not in str(error) and str(code or "-") in str(error)


def test_the_http_client_sends_every_twilio_host_to_the_stand_in():
    client = RedirectingHttpClient("http://127.0.0.1:8123/base/")
    assert (
        client.rewrite("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?x=1")
        == "http://127.0.0.1:8123/base/2010-04-01/Accounts/AC1/Messages.json?x=1"
    )
    assert (
        client.rewrite("https://api.dublin.ie1.twilio.com/v1/x")
        == "http://127.0.0.1:8123/base/v1/x"
    )
    assert client.rewrite("https://example.org/v1/x") == "https://example.org/v1/x"
