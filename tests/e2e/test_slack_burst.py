"""A burst of Slack requests past the work pool's bound gets "busy" at once, and texts are
still answered meanwhile; the pool's work runs in a process of its own (as ``staffbot serve``
runs it), and answers again once the burst has drained."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from bot.slack.app import BUSY
from bot.slack.testing import LiveServer, SlackWorkspace, dm_event
from bot.sms.testing import sign
from bot.web import create_app, warm
from core.models import Person
from core.phones import vault_for
from tests.conftest import make_core
from tests.e2e.conftest import SLACK_SECRET as SECRET

TOKEN, PUBLIC = "burst-token", "https://staffbot.example.org"


def number_of(core, name: str) -> str:  # type: ignore[no-untyped-def]
    with core.read() as uow:
        token = uow.session.scalar(select(Person.phone).where(Person.full_name == name))
    return vault_for(core.settings.secret_key).decrypt(token)


def occupy(work, seconds: float, jobs: int) -> threading.Thread:  # type: ignore[no-untyped-def]
    """Fill the pool with ``jobs`` real jobs that take ``seconds`` each (run one at a time
    by the one work process), as a burst of slow questions would."""

    async def hold() -> None:
        await asyncio.gather(*(work.run(time.sleep, seconds) for _ in range(jobs)))

    thread = threading.Thread(target=asyncio.run, args=(hold(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while work.pending < jobs:
        assert time.monotonic() < deadline, "the pool did not take the jobs"
        time.sleep(0.01)
    return thread


def test_a_slack_burst_past_the_bound_is_told_busy_and_texts_are_still_answered(demo_url, slack):
    core = make_core(
        demo_url,
        public_url=PUBLIC,
        TWILIO_AUTH_TOKEN=TOKEN,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
    )
    app = create_app(core)
    assert warm(app)  # as staffbot serve does before its workers start
    work = app.state.slack_work
    work.bound = 2
    work.start_process()  # Slack's work in a process of its own, at a lower priority
    assert work.in_process
    try:
        with LiveServer(app) as url:
            ws = SlackWorkspace(url, slack, core, SECRET)
            held = occupy(work, 4.0, jobs=2)  # the pool is full: 2 of 2

            def ask(i: int):  # type: ignore[no-untyped-def]
                started = time.monotonic()
                resp, _ = ws.slash("UCLAIRE01", f"who's short tomorrow? ({i})")
                return resp, time.monotonic() - started

            with ThreadPoolExecutor(max_workers=20) as clients:
                burst = list(clients.map(ask, range(20)))
            for resp, took in burst:
                assert resp.status_code == 200
                assert resp.json() == {"response_type": "ephemeral", "text": BUSY}
                assert took < 3.0  # Slack's limit for an ack
            assert ws.event(dm_event("USARAH001", "my shifts")).status_code == 200
            told = slack.wait_for("chat.postMessage", timeout=10)
            assert told[0].params["text"] == BUSY

            # Meanwhile a text is answered in full, in the webhook's own answer.
            params = {
                "MessageSid": "SM" + "b" * 32,
                "From": number_of(core, "Sarah MacKenzie"),
                "To": "+447700900999",
                "Body": "leave balance",
            }
            signature = sign(TOKEN, PUBLIC + "/sms/inbound", params)
            text = ws.http.post(
                "/sms/inbound", data=params, headers={"X-Twilio-Signature": signature}
            )
            assert text.status_code == 200 and "<Message>" in text.text
            assert (
                "leave" in text.text.lower() and "days left" in text.text and BUSY not in text.text
            )
            assert work.full  # the text did not wait for the Slack pool to drain

            held.join(30)
            assert work.pending == 0
            resp, answer_url = ws.slash("UCLAIRE01", "who's short tomorrow?")
            assert resp.status_code == 200 and resp.text == ""  # taken on, not busy
            answer = ws.answer_at(answer_url)  # worked out in the work process
            assert answer["text"] != BUSY and "gap" in answer["text"].lower()
            assert work.in_process  # the work process is still the one doing it
            ws.http.close()
    finally:
        work.close()
        core.engine.dispose()
