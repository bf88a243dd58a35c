"""Charts in Slack: a reply that carries one (``reply.data["chart_png"]``, e.g. a forecast) gets
it uploaded as an image beside the answer, through ``files_upload_v2`` (Slack's
files.getUploadURLExternal, the upload itself, files.completeUploadExternal) against
``SLACK_API_URL``. Runs after the ack, like the answer; a failed upload costs only the
picture, never the words."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.conversation.reply import Reply

log = logging.getLogger(__name__)


def chart_of(reply: Reply) -> tuple[bytes, str] | None:
    """(PNG bytes, title) when the reply carries a chart."""
    data = reply.data if isinstance(reply.data, dict) else None
    png = data.get("chart_png") if data else None
    if not isinstance(png, bytes | bytearray) or not png:
        return None
    return bytes(png), str(data.get("chart_title") or "Chart")  # type: ignore[union-attr]


async def upload_chart(
    client: AsyncWebClient, channel: str, reply: Reply, thread_ts: str | None = None
) -> bool:
    """Share the reply's chart in ``channel`` (a conversation id; a user id means their DM
    with the app), in the thread when given. True when it was shared."""
    found = chart_of(reply)
    if found is None:
        return False
    png, title = found
    try:
        if channel.startswith("U"):  # files are shared into conversations, not to users
            opened = await client.conversations_open(users=channel)
            channel = str((opened.get("channel") or {}).get("id") or channel)
        kwargs: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        await client.files_upload_v2(
            channel=channel, file=png, filename="forecast.png", title=title, alt_txt=title, **kwargs
        )
    except Exception:  # the answer already went; only the picture is lost
        log.exception("uploading the chart to %s failed", channel)
        return False
    return True
