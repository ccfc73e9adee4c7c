"""Message backends for tests: they keep what was sent, or fail like a gateway."""

import time

from followups.backends import NotSent

outbox = []


class MemoryBackend:
    def send(self, message):
        outbox.append((message.pk, message.to, message.body))
        return ""


class SlowBackend(MemoryBackend):
    """Takes a while, like a real gateway: two workers overlap."""

    def send(self, message):
        time.sleep(0.05)
        super().send(message)


class BrokenBackend:
    def send(self, message):
        raise NotSent("gateway down")
