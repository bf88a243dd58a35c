"""The outbox's way out to Slack: ``chat.postMessage`` to a person (a DM, by user id) or to a
home's channel (by name), through ``SLACK_API_URL`` when set.

Slack's answers map onto the outbox's retry rules: rate limits, Slack-side errors and network
trouble are temporary (retried with backoff); an address that cannot work (no such channel or
user, not in the channel, archived) is permanent, so the capability that queued the message
hears about it (e.g. outreach moves on to the next person)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.app import Core
from core.models import Channel
from core.outbox import DeliveryError, Envelope, MessageSender

log = logging.getLogger(__name__)

TEMPORARY_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_added_to_org",
    }
)

# the bot's token or the workspace is at fault, not one address: the channel pauses
WORKSPACE_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "no_permission",
        "ekm_access_denied",
    }
)


def classify(exc: SlackApiError) -> DeliveryError:
    """A Slack API error as a DeliveryError: permanent unless retrying can help."""
    status = getattr(exc.response, "status_code", 200)
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    error = str(data.get("error") or f"http_{status}")
    workspace_wide = (
        status == 429 or status >= 500 or error in TEMPORARY_ERRORS or error in WORKSPACE_ERRORS
    )
    return DeliveryError(
        f"slack {error}", permanent=not workspace_wide, provider_wide=workspace_wide
    )


class SlackSender(MessageSender):
    """Posts outbox messages; the provider id is ``channel_id:ts`` (what chat.update needs)."""

    def __init__(
        self, token: str, base_url: str | None = None, client: WebClient | None = None
    ) -> None:
        self.client = client or WebClient(
            token=token, base_url=base_url or WebClient.BASE_URL, timeout=15
        )

    def send(self, envelope: Envelope, text: str, blocks: list[dict] | None = None) -> str:
        kwargs: dict[str, Any] = {"channel": envelope.address, "text": text}
        if blocks:
            kwargs["blocks"] = blocks
        try:
            resp = self.client.chat_postMessage(**kwargs)
        except SlackApiError as exc:
            raise classify(exc) from exc
        except OSError as exc:  # connection refused, DNS, timeout: Slack may be back soon
            raise DeliveryError(
                f"slack unreachable: {type(exc).__name__}", permanent=False, provider_wide=True
            ) from exc
        return f"{resp.get('channel')}:{resp.get('ts')}"

    def update(self, channel_id: str, ts: str, text: str, blocks: list[dict] | None = None) -> None:
        """Rewrite a message already posted (an outreach status as people answer)."""
        kwargs: dict[str, Any] = {"channel": channel_id, "ts": ts, "text": text}
        if blocks:
            kwargs["blocks"] = blocks
        try:
            self.client.chat_update(**kwargs)
        except SlackApiError as exc:
            raise classify(exc) from exc
        except OSError as exc:
            raise DeliveryError(f"slack unreachable: {exc}", permanent=False) from exc


def slack_senders(core: Core) -> dict[Channel, MessageSender]:
    """A sender factory (``registry.sender_factories``): the real Slack sender when a bot
    token is configured. Building it registers nothing: the Slack layouts and the status-card
    job come from the Slack capability's install (``bot.capabilities.install_slack``)."""
    settings = core.settings
    if not settings.slack_bot_token:
        return {}
    return {Channel.SLACK: SlackSender(settings.slack_bot_token, settings.slack_api_url)}
