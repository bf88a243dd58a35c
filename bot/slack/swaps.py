"""Slack layouts for swaps: the manager's review card with Approve / Deny buttons, which run
``swap.approve`` / ``swap.deny`` as the manager (the same as typing them)."""

from __future__ import annotations

from typing import Any

from bot.slack.blocks import Block, actions_block, escape, fit, section
from bot.slack.notifications import actions_from, payload_text
from core.registry import Registry


def review_blocks(payload: dict[str, Any]) -> list[Block]:
    acts = actions_from(payload.get("actions"))
    if not acts and payload.get("ref") is not None:
        from core.swaps.service import review_actions

        acts = actions_from(review_actions(int(payload["ref"])))
    return fit([section(escape(payload_text("swap.review", payload)))] + actions_block(acts))


def install(registry: Registry) -> None:
    registry.add_blocks("swap.review", review_blocks)
