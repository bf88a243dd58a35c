"""Whatever a phone sends, correctly signed, the webhook answers with TwiML: never a 500.

Runs the real conversation (parser, router, handlers) behind the webhook."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.sms.inbound import SORRY_REPLY
from bot.sms.testing import sign
from bot.web import create_app
from core.models import Person
from core.phones import reveal_phone
from tests.conftest import make_core, requires_pg

TOKEN, PUBLIC = "fuzz-token", "https://staffbot.example.org"
_sids = itertools.count(1)

EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
CONTROL = st.characters(min_codepoint=0, max_codepoint=31) | st.sampled_from(
    "\x7f\u200b\u200d\u202e\u2066\ufeff\ufffd"
)
PHRASES = st.sampled_from(
    [
        "YES",
        "no - childcare",
        "STOP",
        "help",
        "my shifts",
        "¿Puedo tener el viernes libre?",
        "Można wziąć wolne 3-go?",
        "हाँ",
        "我明天可以上夜班",
        "نعم، أستطيع",
        "Так, можу",
        "can I have 3rd-5th March off",
        "yes 42",
        "YES OT999999999",
        "' OR 1=1 --",
        "<Response><Message>pwned</Message></Response>",
        "]]>&amp;",
        "%s %d {0}",
    ]
)
BODIES = st.one_of(
    st.just(""),
    st.text(max_size=1600),
    st.text(alphabet=EMOJI, max_size=400),
    st.text(alphabet=CONTROL, max_size=50),
    st.lists(PHRASES | st.text(max_size=20), max_size=8).map(" ".join),
    st.just("x" * 1600),
    st.just("😀" * 1600),
)


def _client_and_number(url: str):  # type: ignore[no-untyped-def]
    core = make_core(url, public_url=PUBLIC, TWILIO_AUTH_TOKEN=TOKEN)
    with core.uow() as uow:
        number = reveal_phone(
            uow.session.scalars(select(Person.phone).where(Person.full_name == "Tom Baxter")).one()
        )
    return core, TestClient(create_app(core), raise_server_exceptions=False), number


def _fuzz(url: str, max_examples: int) -> None:
    pytest.importorskip("intents.parser")
    core, client, number = _client_and_number(url)

    @settings(
        max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(body=BODIES, known=st.booleans())
    def check(body: str, known: bool) -> None:
        params = {
            "MessageSid": f"SMfuzz{next(_sids):026d}",
            "From": number if known else "+447700900000",
            "To": "+447700900999",
            "Body": body,
        }
        response = client.post(
            "/sms/inbound",
            data=params,
            headers={"X-Twilio-Signature": sign(TOKEN, PUBLIC + "/sms/inbound", params)},
        )
        assert response.status_code == 200, (response.status_code, response.text[:200])
        assert response.text.startswith("<?xml") and "<Response" in response.text
        assert SORRY_REPLY not in response.text  # nothing crashed behind the answer

    try:
        with client:
            check()
    finally:
        core.engine.dispose()


def test_fuzzed_bodies_never_break_the_webhook(demo_url):
    _fuzz(demo_url, max_examples=80)


@requires_pg
def test_fuzzed_bodies_never_break_the_webhook_on_postgres(pg_demo_url):
    _fuzz(pg_demo_url, max_examples=40)  # NUL bytes and the like: PostgreSQL is stricter
