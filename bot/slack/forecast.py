"""Slack layouts of the forecast and alert messages: the daily gap report posted to a home's
channel, a forecast answer, and the gaps view with the forecast's note kept. Installed by
``bot.capabilities.install_slack``; the words are ``bot.conversation.forecast``'s."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from bot.conversation.fmt import plural, shift_label, short_day
from bot.conversation.forecast import _day, _whole
from bot.conversation.reply import Reply
from bot.slack.blocks import context, escape, fit, gap_lines, header, section


def daily_gaps_blocks(p: dict[str, Any]) -> list[dict[str, Any]]:
    """The daily gap report in a home's channel: today, tomorrow, open outreach."""
    day = date.fromisoformat(p["date"])
    blocks = [header(f"Daily gap report · {p['home']} · {short_day(day)}")]
    for label, rows in (
        ("Today", p.get("today") or []),
        (f"Tomorrow ({short_day(day + timedelta(days=1))})", p.get("tomorrow") or []),
    ):
        if not rows:
            blocks.append(section(f"*{label}*: :white_check_mark: no gaps"))
            continue
        lines = [line for lines in gap_lines(rows, False).values() for line in lines]
        blocks.append(section(f"*{label}*\n" + "\n".join(lines)))
    outreach = p.get("outreach") or []
    if outreach:
        blocks.append(
            section(
                "*Open overtime requests*\n"
                + "\n".join(
                    f"• {o['ref']} · *{o['role']}* {shift_label(o['shift_type'])} "
                    f"{_day(o['date'])} · {plural(o['asked'], 'person', 'people')} asked"
                    for o in outreach
                )
            )
        )
    else:
        blocks.append(context("No open overtime requests."))
    blocks.append(context(escape("Ask me 'find an RN for Friday night' to start outreach.")))
    return fit(blocks)


def forecast_blocks(reply: Reply, zone: Any = None) -> list[dict[str, Any]]:
    """A ``forecast`` reply: a line per home and day, at-risk days marked."""
    data = reply.data if isinstance(reply.data, dict) else {}
    days = data.get("days") or []
    if not days:
        return [section(escape(reply.text))]
    by_home: dict[str, list[str]] = defaultdict(list)
    for d in days:
        mark = ":warning:" if d["at_risk"] else ":white_check_mark:"
        lo, hi = _whole(d["lower"]), _whole(d["upper"], up=True)
        rota = f"{d['rostered']} rostered" if d["rostered"] else "no rota yet"
        line = (
            f"{mark} {_day(d['date'])} · *{_whole(d['prediction'] + 0.5)}* expected "
            f"({lo}–{hi}) · {rota}"
        )
        if d["at_risk"]:
            line += " · at risk, about {} short ({})".format(
                d["short"], escape(", ".join(f"{u['unit']} {u['short']}" for u in d["units_short"]))
            )
        by_home[d["home"]].append(line)
    blocks = [header(f"Forecast · {data.get('scope', '')}"[:150])]
    for home, lines in by_home.items():
        blocks.append(section(f"*{escape(home)}*\n" + "\n".join(lines)))
    blocks.append(
        context(
            escape(
                "Shifts a day: expected (80% range) against the rota. "
                + str(data.get("verdict") or "")
            )
        )
    )
    return blocks


def gaps_with_notes(base: Any) -> Any:
    """The Slack ``gaps`` view, plus any note lines after the first line of the reply's text
    (the forecast sentence ``add_forecast_risk`` adds), which its table would leave out."""

    def render(reply: Reply, *args: Any) -> list[dict[str, Any]]:
        blocks = base(reply, *args)
        notes = [n for n in reply.text.split("\n")[1:] if n.strip()]
        if not notes or not reply.data:
            return blocks  # no rows: the base view shows the whole text already
        return [*blocks, *(context(escape(n)) for n in notes)]

    return render
