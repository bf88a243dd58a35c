"""The App Home tab: what a manager needs at a glance (gaps today and tomorrow in their homes,
open outreach, leave waiting for them), or a person's own next shifts.

Each part is a function of (core, scope, today), listed in order by ``home_sections()`` at the
end of this module; parts read through core queries (``core.glance``, ``core.leave``), which
open their own read units of work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bot.conversation.basic import MANAGER_HELP, STAFF_HELP
from bot.conversation.fmt import SHIFT_TIMES, day_label, shift_label
from bot.slack.blocks import (
    Block,
    context,
    divider,
    escape,
    fit,
    gap_lines,
    header,
    section,
)
from core.app import Core
from core.glance import gaps_on, outreach_waiting, shifts_ahead, viewer_by_slack
from core.permissions import Scope

log = logging.getLogger(__name__)

HomeSection = Callable[[Core, Scope, date], list[Block]]

STRANGER = (
    "Sorry, I don't know you: your Slack account isn't linked to anyone in the "
    "organisation. Ask your manager to add your Slack user id to Staffbot."
)


def home_view(core: Core, slack_user_id: str) -> dict[str, Any]:
    """The ``views.publish`` view for this Slack user."""
    viewer = viewer_by_slack(core, slack_user_id)
    if viewer is None:
        return _view([section(STRANGER)])
    scope, first_name, person_id = viewer.scope, viewer.first_name, viewer.person_id
    homes = "every home" if viewer.home_names is None else ", ".join(viewer.home_names)
    today = core.today()
    if not scope.is_manager:
        return _view(_staff_home(core, person_id, first_name, today))
    blocks: list[Block] = [
        header(f"Staffbot · {homes}"),
        context(f"Hello {escape(first_name)}. {escape(MANAGER_HELP)}"),
    ]
    for part in home_sections():
        try:
            part_blocks = part(core, scope, today)
        except Exception:  # one broken part must not blank the whole tab
            log.exception("App Home part %s failed", getattr(part, "__name__", part))
            continue
        if part_blocks:
            blocks += [divider(), *part_blocks]
    return _view(blocks)


def _view(blocks: list[Block]) -> dict[str, Any]:
    return {"type": "home", "blocks": fit(blocks)}


def _staff_home(core: Core, person_id: int, first_name: str, today: date) -> list[Block]:
    lines = [
        f"• {day_label(s.date, today)} *{shift_label(s.shift_type)}* "
        f"{SHIFT_TIMES.get(s.shift_type, '')} at {escape(s.home)} ({escape(s.unit)})"
        for s in shifts_ahead(core, person_id, today, days=14, limit=7)
    ]
    return [
        header(f"Hello {first_name}"),
        section("*Your next shifts*\n" + ("\n".join(lines) or "None in the next two weeks.")),
        context(escape(STAFF_HELP)),
    ]


def gaps_part(core: Core, scope: Scope, today: date) -> list[Block]:
    """Today's and tomorrow's gaps in the manager's homes."""
    blocks: list[Block] = []
    for day, rows in gaps_on(core, scope, [today, today + timedelta(days=1)]).items():
        title = f"*Gaps {day_label(day, today)}*"
        if not rows:
            blocks.append(section(f"{title}\n:white_check_mark: Every shift meets its minimum."))
            continue
        for home, lines in gap_lines(rows, show_date=False).items():
            blocks.append(section(f"{title} · *{escape(home)}*\n" + "\n".join(lines)))
    return blocks


def outreach_part(core: Core, scope: Scope, today: date) -> list[Block]:
    """Outreach still looking for someone, with where each stands."""
    from bot.conversation.reply import Action
    from bot.slack.blocks import actions_block
    from bot.slack.outreach import STATUS_ICONS, shift_title

    open_ = outreach_waiting(core, scope)
    if not open_:
        return [section("*Open outreach*\nNone: no overtime requests are waiting for answers.")]
    lines = []
    for r in open_:
        said = {
            k: sum(1 for o in r["offers"] if o["response"] == k)
            for k in ("SENT", "DECLINED", "NO_RESPONSE")
        }
        lines.append(
            f"• {STATUS_ICONS['PENDING']} *{r['ref']}* {escape(shift_title(r))}: "
            f"{len(r['offers'])} asked, {said['SENT']} waiting, "
            f"{said['DECLINED']} said no"
        )
    buttons = [Action(f"Status {r['ref']}", "ot.status", {"ref": r["id"]}) for r in open_][:5]
    return [
        section("*Open outreach*\n" + "\n".join(lines)),
        *actions_block(buttons, block_id="home_outreach"),
    ]


def leave_part(core: Core, scope: Scope, today: date) -> list[Block]:
    """Leave requests waiting for this manager, each with Approve / Deny."""
    from bot.slack.blocks import actions_block
    from bot.slack.notifications import actions_from
    from core.leave import awaiting_decision, review_actions

    waiting = awaiting_decision(core, scope)
    if not waiting:
        return [section("*Leave to decide*\nNothing waiting for you.")]
    blocks: list[Block] = [section(f"*Leave to decide* ({len(waiting)})")]
    for v in waiting[:10]:
        span = (
            f"{v.start_date:%a} {v.start_date.day} {v.start_date:%b}"
            if v.start_date == v.end_date
            else f"{v.start_date:%a} {v.start_date.day} {v.start_date:%b} to "
            f"{v.end_date:%a} {v.end_date.day} {v.end_date:%b}"
        )
        why = f"\n_{escape(v.reason)}_" if v.reason else ""
        blocks.append(
            section(
                f"*{v.ref}* · {escape(v.name)} ({escape(v.home or '')}) · "
                f"{v.leave_type} · {span} ({v.days:g} days){why}"
            )
        )
        blocks += actions_block(actions_from(review_actions(v.ref)), block_id=f"leave_{v.ref}")
    if len(waiting) > 10:
        blocks.append(context(f"…and {len(waiting) - 10} more: ask 'leave to review'."))
    return blocks


def home_sections() -> list[HomeSection]:
    """A manager's App Home parts, in order."""
    return [gaps_part, outreach_part, leave_part]
