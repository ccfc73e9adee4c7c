"""Where queued messages go, and what a gateway can tell us afterwards.

A backend is a class with

- `send(message) -> str`: hands one `OutboxMessage` to the gateway, with the message's id
  as the gateway's out-id, and returns the gateway's id for it ("" if it gives none). It
  raises `NotSent` when the gateway certainly did not take the message (it said no, or
  was never reached); any other exception (a timeout after the request left, a garbled
  answer) means nobody knows whether it went out.
- `look_up(message) -> Lookup` (optional): asks the gateway by out-id whether it got the
  message. A backend without it cannot tell.

The dispatcher does the rest (claiming, recording, retries, reconciling):
`followups.services.dispatch_due_messages`. `settings.STUDIO_MESSAGE_BACKEND` names the
backend of every channel; `settings.STUDIO_MESSAGE_BACKENDS` may name another per channel
(e.g. {"sms": "followups.alibaba.AlibabaSmsBackend"}).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT = "followups.backends.LogBackend"

log = logging.getLogger("followups.messages")


class NotSent(Exception):
    """The gateway certainly did not take the message: sending it again cannot make a
    duplicate. `retry=False` when trying again cannot help (an unregistered template, a
    number the gateway refuses)."""

    def __init__(self, reason: str, *, retry: bool = True):
        super().__init__(reason)
        self.retry = retry


@dataclass(frozen=True)
class Lookup:
    """What the gateway knows of a message we may have sent: `received` True (with its id
    when it says one), False (it never got it), or None (it cannot tell)."""

    received: bool | None
    gateway_id: str = ""
    detail: str = ""


CANNOT_TELL = Lookup(None)
NEVER_RECEIVED = Lookup(False)


class LogBackend:
    """Development default: writes the message to the log instead of sending it."""

    def send(self, message) -> str:
        log.info(
            "%s to %s (%s, %s): %s",
            message.get_channel_display(),
            message.to,
            message.customer_id,
            message.occasion,
            message.body,
        )
        return ""


def get_backend(channel: str | None = None):
    name = getattr(settings, "STUDIO_MESSAGE_BACKENDS", {}).get(channel) or getattr(
        settings, "STUDIO_MESSAGE_BACKEND", DEFAULT
    )
    return import_string(name)()


def look_up(backend, message) -> Lookup:
    """The backend's answer, or "cannot tell" for a backend with no status query."""
    ask = getattr(backend, "look_up", None)
    return CANNOT_TELL if ask is None else ask(message)
