"""The outbox's Slack sender against a local stand-in for Slack's Web API: DMs by user id,
posts to a home's channel, and Slack's errors mapped onto retry-or-give-up."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.bootstrap import make_senders
from bot.delivery import deliver_due
from bot.slack.sender import SlackSender, slack_senders
from bot.slack.testing import FakeSlack
from core.errors import NotFound
from core.models import Channel, Home, OutboundMessage, Person
from core.outbox import post_to_home
from tests.conftest import make_core


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def core(demo_url, slack):
    core = make_core(demo_url, SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=slack.api_url)
    yield core
    core.engine.dispose()


def _dm(core, name, text="Hello from Staffbot"):
    with core.uow() as uow:
        person = uow.session.scalars(select(Person).where(Person.full_name == name)).one()
        msg = uow.notify(
            OutboundMessage(
                person_id=person.id, channel=Channel.SLACK, kind="text", payload={"text": text}
            )
        )
        uow.commit()
        return msg.id


def _home_post(core, home_name, text):
    with core.uow() as uow:
        home = uow.session.scalars(select(Home).where(Home.name == home_name)).one()
        msg = post_to_home(uow, home.id, "text", {"text": text})
        uow.commit()
        return msg.id


def _state(core, message_id):
    with core.uow() as uow:
        msg = uow.session.get(OutboundMessage, message_id)
        return msg.status, msg.provider_id, msg.error


def test_a_dm_and_a_home_channel_post_go_out_through_chat_post_message(core, slack):
    dm = _dm(core, "Sarah MacKenzie", "Your shift offer")
    post = _home_post(core, "Victoria Gardens", "Daily gaps: 1 tomorrow")
    assert deliver_due(core, slack_senders(core)) == 2
    calls = {c.params["channel"]: c.params for c in slack.of("chat.postMessage")}
    assert calls["USARAH001"]["text"] == "Your shift offer"
    assert calls["#victoria-gardens"]["text"] == "Daily gaps: 1 tomorrow"
    status, provider_id, _ = _state(core, dm)
    assert status == "sent" and provider_id.startswith("DSARAH001:")  # channel:ts for updates
    assert _state(core, post)[1].startswith("CVICTORIAGA")


@pytest.mark.parametrize(
    "status,error,outcome",
    [
        (429, "ratelimited", "queued"),
        (500, "internal_error", "queued"),
        (503, "service_unavailable", "queued"),
        (200, "channel_not_found", "failed"),
        (200, "not_in_channel", "failed"),
        (200, "user_not_found", "failed"),
    ],
)
def test_slack_errors_are_retried_or_given_up_as_they_deserve(core, slack, status, error, outcome):
    mid = _dm(core, "Tom Baxter")
    slack.fail_next("chat.postMessage", status, error)
    assert deliver_due(core, slack_senders(core)) == 0
    state, _, recorded = _state(core, mid)
    assert state == outcome and error in recorded


def test_an_unreachable_slack_is_a_temporary_failure(core):
    sender = SlackSender("xoxb-test", base_url="http://127.0.0.1:9/api/")  # nothing listens
    mid = _dm(core, "Tom Baxter")
    assert deliver_due(core, {Channel.SLACK: sender}) == 0
    assert _state(core, mid)[0] == "queued"


def test_the_sender_is_registered_only_with_a_bot_token(demo_url, core):
    assert isinstance(make_senders(core)[Channel.SLACK], SlackSender)
    bare = make_core(demo_url)
    assert slack_senders(bare) == {}
    assert not isinstance(make_senders(bare)[Channel.SLACK], SlackSender)
    bare.engine.dispose()


def test_post_to_home_refuses_an_unknown_home(core):
    with core.uow() as uow, pytest.raises(NotFound):
        post_to_home(uow, 999, "text", {"text": "x"})
