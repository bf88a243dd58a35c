"""Texts out through Twilio's REST API: paced per sending number, errors sorted into
"try again later" and "this will never work", status callbacks pointed back at us.

Without credentials nothing here is used: texts stay in the local outbox
(``bot.delivery.LocalOutboxSender``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.sms.text import fit_sms
from core.app import Core
from core.config import Settings
from core.models import Channel
from core.outbox import DeliveryError, Envelope, MessageSender
from core.phones import mask_phone
from core.redact import redact

log = logging.getLogger(__name__)

# Twilio error codes that no retry will fix: the number is invalid, unreachable, not a
# mobile, or has opted out at the carrier (21610). Anything else from a 4xx is permanent
# too, except auth/throttling, which an operator or time can fix.
PERMANENT_CODES = frozenset(
    {
        21211,
        21212,
        21214,
        21217,
        21219,
        21401,
        21407,
        21408,
        21421,
        21601,
        21602,
        21603,
        21604,
        21610,
        21612,
        21614,
        21617,
        21635,
        30003,
        30004,
        30005,
        30006,
        30007,
        30008,
    }
)
TEMPORARY_STATUSES = frozenset({401, 403, 404, 408, 409, 423, 425, 429})
# failures of the account, not of one number: the channel pauses (core.delivery_health)
PROVIDER_WIDE_STATUSES = frozenset({401, 403, 429})

# The Twilio library logs each request at INFO; ours must never carry a number or a text,
# whatever the process's log level, so its client gets a logger of its own held at WARNING.
_http_log = logging.getLogger("bot.sms.twilio_http")
_http_log.setLevel(logging.WARNING)


class Pacer:
    """At most ``rate`` sends a second per key (sending number), across threads.

    ``clock`` and ``sleep`` are injectable so tests neither wait nor race real time."""

    def __init__(
        self,
        rate_per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 0.0 if rate_per_second <= 0 else 1.0 / rate_per_second
        self.clock, self.sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Block until ``key`` may send again; returns the seconds waited."""
        if self.interval == 0:
            return 0.0
        with self._lock:  # reserve a slot, then sleep outside the lock
            now = self.clock()
            slot = max(now, self._next.get(key, now))
            self._next[key] = slot + self.interval
        delay = slot - now
        if delay > 0:
            self.sleep(delay)
        return delay


class RedirectingHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending every ``*.twilio.com`` request to ``base_url``
    instead (a local stand-in in tests, a proxy or mock in staging).

    Rewriting at the HTTP client covers every Twilio domain and the edge/region host
    rewriting the client does after building a URL, without touching the library."""

    def __init__(self, base_url: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        parts = urlsplit(base_url.rstrip("/"))
        self._scheme, self._netloc, self._prefix = parts.scheme, parts.netloc, parts.path

    def rewrite(self, url: str) -> str:
        parts = urlsplit(url)
        if not (parts.hostname or "").endswith("twilio.com"):
            return url
        return urlunsplit(
            (self._scheme, self._netloc, self._prefix + parts.path, parts.query, parts.fragment)
        )

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        return super().request(method, self.rewrite(url), *args, **kwargs)


def make_client(settings: Settings, timeout: float = 10.0) -> Client:
    """A Twilio client for the configured account, at ``TWILIO_API_URL`` when set."""
    http: TwilioHttpClient
    if settings.twilio_api_url:
        http = RedirectingHttpClient(settings.twilio_api_url, timeout=timeout, logger=_http_log)
    else:
        http = TwilioHttpClient(timeout=timeout, logger=_http_log)
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http)


def status_callback_url(settings: Settings) -> str:
    return settings.public_url.rstrip("/") + "/sms/status"


class TwilioSmsSender(MessageSender):
    """``messages.create`` per outbox message; returns Twilio's message SID."""

    def __init__(
        self, client: Client, from_number: str, status_callback: str | None, pacer: Pacer
    ) -> None:
        self.client, self.from_number = client, from_number
        self.status_callback, self.pacer = status_callback, pacer

    def send(
        self,
        envelope: Envelope,
        text: str,  # type: ignore[override]
        blocks: list[dict] | None = None,
    ) -> str | None:
        body = fit_sms(text, max_segments=4)
        self.pacer.wait(self.from_number)
        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            message = self.client.messages.create(
                to=envelope.address, from_=self.from_number, body=body, **extra
            )
        except TwilioRestException as exc:
            raise classify(exc, envelope.address) from None
        except (requests.ConnectionError, OSError) as exc:
            if _timed_out(exc) and not isinstance(exc, requests.ConnectTimeout):
                raise _timeout() from None
            # refused or reset before a request went out: nothing was sent
            raise DeliveryError(
                f"Twilio unreachable: {type(exc).__name__}", permanent=False, provider_wide=True
            ) from None
        except (requests.RequestException, TwilioException) as exc:
            # a timeout or a response we cannot read: it may have gone out
            raise _timeout(type(exc).__name__) from None
        log.info(
            "sms sent message=%s to=%s sid=%s",
            envelope.message_id,
            mask_phone(envelope.address),
            message.sid,
        )
        return message.sid

    def find_sent(self, envelope: Envelope, text: str, since: datetime) -> str | None:
        """The SID of a text with this body sent to this number since ``since``, if any
        (Twilio's message list: To, From and DateSent>=): checked before a send whose
        outcome is unknown is repeated."""
        body = fit_sms(text, max_segments=4)
        try:
            found = self.client.messages.list(
                to=envelope.address, from_=self.from_number, date_sent_after=since, limit=50
            )
        except TwilioRestException as exc:
            raise classify(exc, envelope.address) from None
        except (requests.RequestException, TwilioException, OSError) as exc:
            raise DeliveryError(
                f"Twilio unreachable: {type(exc).__name__}", permanent=False, provider_wide=True
            ) from None
        for message in found:
            created = message.date_created or message.date_sent
            if message.body == body and (created is None or created >= since):
                return str(message.sid)
        return None


def classify(exc: TwilioRestException, address: str = "") -> DeliveryError:
    """A Twilio API error as a DeliveryError; its text carries no phone number."""
    code = exc.code if isinstance(exc.code, int) else None
    detail = redact(
        (exc.msg or "").replace(address, mask_phone(address)) if address else (exc.msg or "")
    )
    text = f"Twilio {exc.status} error {code or '-'}: {detail}"[:300]
    if code in PERMANENT_CODES:
        return DeliveryError(text, permanent=True)
    status = int(exc.status or 0)
    if status >= 500 or status in PROVIDER_WIDE_STATUSES:
        return DeliveryError(text, permanent=False, provider_wide=True)
    if status in TEMPORARY_STATUSES or status == 0:
        return DeliveryError(text, permanent=False)
    return DeliveryError(text, permanent=True)  # any other 4xx: the request itself is wrong


def _timed_out(exc: BaseException) -> bool:
    return isinstance(exc, (requests.Timeout, TimeoutError)) or "timed out" in str(exc).lower()


def _timeout(what: str = "Timeout") -> DeliveryError:
    return DeliveryError(f"Twilio did not answer in time ({what})", permanent=False, timed_out=True)


def twilio_configured(settings: Settings) -> bool:
    return bool(
        settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from_number
    )


def twilio_senders(core: Core, pacer: Pacer | None = None) -> dict[Channel, MessageSender]:
    """``SENDER_FACTORIES`` entry: the Twilio sender when credentials are set, else nothing
    (the local outbox sender stays)."""
    settings = core.settings
    if not twilio_configured(settings):
        return {}
    return {
        Channel.SMS: TwilioSmsSender(
            make_client(settings),
            str(settings.twilio_from_number),
            status_callback_url(settings),
            pacer or shared_pacer(settings.sms_rate_per_second),
        )
    }


_pacers: dict[float, Pacer] = {}
_pacers_lock = threading.Lock()


def shared_pacer(rate: float) -> Pacer:
    """One pacer per process and rate, so every sender built in it shares the budget."""
    with _pacers_lock:
        return _pacers.setdefault(rate, Pacer(rate))
