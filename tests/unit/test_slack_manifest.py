"""The manifest creates an app that sends Staffbot everything it listens for."""

from __future__ import annotations

import re
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[2] / "slack-manifest.yml"


def _list_under(text: str, key: str) -> set[str]:
    block = re.search(rf"^(\s*){key}:\n((?:\1\s+- .*\n)+)", text, re.MULTILINE)
    assert block, f"{key} missing from the manifest"
    return {line.split("- ", 1)[1].split("#")[0].strip() for line in block.group(2).splitlines()}


def test_manifest_subscribes_to_what_the_app_handles():
    text = MANIFEST.read_text(encoding="utf-8")
    assert _list_under(text, "bot_events") == {"app_home_opened", "app_mention", "message.im"}
    scopes = _list_under(text, "bot")
    assert {"chat:write", "commands", "im:history", "app_mentions:read", "users:read"} <= scopes
    assert "command: /staffbot" in text
    assert text.count("/slack/events") == 3  # slash command, events and interactivity
    assert re.search(r"home_tab_enabled: true", text)
    assert re.search(r"messages_tab_enabled: true", text)
    assert re.search(r"interactivity:\n\s+is_enabled: true", text)
