"""Draft rotas in Slack: a ``rota.draft`` reply (``reply.data["csv"]``) gets its rota shared
as a CSV file beside the summary, through ``files_upload_v2`` like the forecast charts. The
Publish button comes with the reply's actions (bot/slack/blocks.py). Runs after the ack; a
failed upload costs only the file, never the words."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.conversation.reply import Reply

log = logging.getLogger(__name__)


def csv_of(reply: Reply) -> tuple[bytes, str, str] | None:
    """(CSV bytes, file name, title) when the reply carries a draft rota."""
    data = reply.data if isinstance(reply.data, dict) else None
    text = data.get("csv") if data else None
    if reply.kind != "rota.draft" or not isinstance(text, str) or not text:
        return None
    assert data is not None
    name = str(data.get("csv_filename") or "rota-draft.csv")
    title = (
        f"Draft rota {data.get('ref')}: {data.get('home')}, {data.get('from')} to {data.get('to')}"
    )
    return text.encode("utf-8"), name, title


async def upload_rota_csv(
    client: AsyncWebClient, channel: str, reply: Reply, thread_ts: str | None = None
) -> bool:
    """Share the draft's CSV in ``channel`` (a user id means their DM with the app), in the
    thread when given. True when it was shared."""
    found = csv_of(reply)
    if found is None:
        return False
    content, filename, title = found
    try:
        if channel.startswith("U"):  # files are shared into conversations, not to users
            opened = await client.conversations_open(users=channel)
            channel = str((opened.get("channel") or {}).get("id") or channel)
        kwargs: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        await client.files_upload_v2(
            channel=channel, content=content, filename=filename, title=title, **kwargs
        )
    except Exception:  # the summary already went; only the file is lost
        log.exception("uploading the draft rota to %s failed", channel)
        return False
    return True
