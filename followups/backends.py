"""Where queued messages go. `settings.STUDIO_MESSAGE_BACKEND` names a class with
`send(message)`: it delivers one `OutboxMessage` or raises; the dispatcher does the rest
(locking, marking sent, retries). Production plugs in an SMS / WeChat gateway here."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT = "followups.backends.LogBackend"

log = logging.getLogger("followups.messages")


class LogBackend:
    """Development default: writes the message to the log instead of sending it."""

    def send(self, message):
        log.info(
            "%s to %s (%s, %s): %s",
            message.get_channel_display(),
            message.to,
            message.customer_id,
            message.occasion,
            message.body,
        )


def get_backend():
    return import_string(getattr(settings, "STUDIO_MESSAGE_BACKEND", DEFAULT))()
