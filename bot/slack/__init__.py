"""Slack for Staffbot, on slack-bolt: the app (``app``), Block Kit (``blocks``), the App Home
(``home``), the outbox sender (``sender``), the FastAPI route (``web``) and Socket Mode
(``socket_mode``). ``testing`` is a local stand-in for Slack's Web API. See docs/slack.md."""
