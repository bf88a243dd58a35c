"""Block Kit for what the assistant says first (outbox kinds), added to the registry by
``bot.capabilities.install_slack``. The words stay the capability's (its texts or
``payload["text"]``); Slack
adds structure and buttons that run the same intents as typed replies.

Generic rule: a payload carrying ``actions`` (``[{label, intent, slots, style}]``) gets them
as buttons, so a capability can offer one-tap answers without any Slack code."""

from __future__ import annotations

from typing import Any

from bot.conversation.reply import Action
from bot.render import text_of
from bot.slack.blocks import Block, actions_block, escape, fit, section


def payload_text(kind: str, payload: dict[str, Any]) -> str:
    return text_of(kind, payload)


def actions_from(raw: Any) -> list[Action]:
    acts = []
    for a in raw or []:
        if isinstance(a, dict) and a.get("intent") and a.get("label"):
            acts.append(
                Action(
                    str(a["label"]), str(a["intent"]), dict(a.get("slots") or {}), a.get("style")
                )
            )
    return acts


def with_buttons(kind: str, extra: list[Action] | None = None):  # type: ignore[no-untyped-def]
    """A renderer: the notification's words as a section, then its buttons."""

    def render(payload: dict[str, Any]) -> list[Block]:
        acts = actions_from(payload.get("actions")) or list(extra or [])
        return fit([section(escape(payload_text(kind, payload)))] + actions_block(acts))

    return render


def leave_review(payload: dict[str, Any]) -> list[Block]:
    """A leave request waiting for this manager: Approve / Deny buttons."""
    ref = payload.get("ref")
    acts = actions_from(payload.get("actions"))
    if not acts and ref is not None:
        try:
            from core.leave import review_actions

            acts = actions_from(review_actions(int(ref)))
        except ImportError:  # leave not installed: words only
            acts = []
    return fit([section(escape(payload_text("leave.review", payload)))] + actions_block(acts))
