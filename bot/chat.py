"""``staffbot chat``: talk to the assistant as anyone in the organisation, on a clock you move.

Transcript lines: ``Full Name: message`` sends as that person over their own channel (Slack
for people with a Slack id, SMS otherwise); ``/wait 30m`` (``2h``, ``1d``) moves the clock and
runs whatever scheduled work falls due. Everything said, both ways, prints one line each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import timedelta

from bot.conversation.receive import Inbound, Receiver
from bot.conversation.service import Conversation
from bot.delivery import run_due_work
from core.app import Core
from core.clock import ManualClock
from core.console import clock_moved, writer_named
from core.errors import StaffbotError
from core.models import Channel
from core.outbox import Envelope, MessageSender

WAIT = re.compile(r"^/wait\s+(\d+)\s*([mhd])$", re.IGNORECASE)
STEP = timedelta(minutes=5)
Printer = Callable[[str], None]


def one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


class ConsoleSender(MessageSender):
    def __init__(self, channel: str, emit: Printer) -> None:
        self.channel, self.emit = channel, emit

    def send(self, envelope: Envelope, text: str, blocks=None):  # type: ignore[no-untyped-def]
        who = envelope.address if envelope.address.startswith("#") else envelope.recipient_name
        self.emit(f"staffbot -> {who} [{self.channel}]: {one_line(text)}")
        return f"console-{envelope.message_id}"


class ChatConsole:
    def __init__(self, core: Core, emit: Printer = print, note: Printer | None = None) -> None:
        if not isinstance(core.clock, ManualClock):
            raise TypeError("the chat console needs a clock it can move (ManualClock)")
        self.core, self.emit, self.clock = core, emit, core.clock
        self.note = note or emit  # the console's own remarks (what /wait did), not messages
        self.conversation = Conversation(core)
        self.receiver = Receiver(
            core, self.conversation, renderers={"sms": lambda r: r.sms, "slack": lambda r: r.text}
        )
        self.senders: dict[Channel, MessageSender] = {
            Channel.SMS: ConsoleSender("sms", emit),
            Channel.SLACK: ConsoleSender("slack", emit),
        }

    def find(self, name: str) -> tuple[int, str, str]:
        """(person id, full name, channel) for a full name, or a unique first name/surname."""
        person_id, full_name, channel, _address = self._find(name)
        return person_id, full_name, channel

    def _find(self, name: str) -> tuple[int, str, str, str | None]:
        """... and the address they write from (their number, their Slack id)."""
        w = writer_named(self.core, name)
        return w.person_id, w.full_name, w.channel, w.address

    def say(self, name: str, text: str) -> str:
        """One message as this person, through the same receive path as a real text or
        Slack message: carrier keywords (STOP, START, HELP...), the unknown-number rule and
        opt-outs apply exactly as they do to SMS. Prints nothing for no answer (silence)."""
        person_id, full_name, channel, address = self._find(name)
        self.emit(f"{full_name} -> staffbot: {one_line(text)}")
        if address is None:  # nobody could text from no number: answer them as before
            reply = self.conversation.handle(person_id, channel, text)
            answer: str | None = reply.sms if channel == "sms" else reply.text
        else:
            answer = self.receiver.receive(Inbound(channel=channel, sender=address, text=text)).text
        if answer:
            self.emit(f"staffbot -> {full_name} [{channel}]: {one_line(answer)}")
        run_due_work(self.core, self.senders)
        return answer or ""

    def wait(self, amount: int, unit: str) -> None:
        """Move the clock, running due work every 5 minutes of it; then say what ran."""
        total = timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit.lower()]: amount})
        started = self.clock.now()
        target = started + total
        while self.clock.now() < target:
            self.clock.set(min(target, self.clock.now() + STEP))
            run_due_work(self.core, self.senders)
        done = clock_moved(self.core, started, target)  # on a demo: the clock is recorded
        now = target.astimezone(self.core.zone)
        ran = "; ".join(str(w) for w in done) if done else "nothing fell due"
        self.note(
            f"[clock] {now:%a %d %b %H:%M} (+{amount}{unit.lower()}): "
            f"{'ran ' if done else ''}{ran}."
        )

    def step(self, line: str) -> None:
        line = line.strip()
        if not line or line.startswith("#"):
            return
        wait = WAIT.match(line)
        if wait:
            self.wait(int(wait.group(1)), wait.group(2))
            return
        if line.startswith("/"):
            raise StaffbotError(f"Unknown console command {line.split()[0]!r}; try /wait 30m.")
        name, sep, text = line.partition(":")
        if not sep:
            raise StaffbotError(f"Expected 'Full Name: message', got {line!r}.")
        self.say(name, text.strip())

    def run_script(self, lines: Iterable[str]) -> None:
        for number, line in enumerate(lines, 1):
            try:
                self.step(line)
            except StaffbotError as exc:
                raise StaffbotError(f"line {number}: {exc}") from exc
