import pytest

from studio import roles

from . import backends


@pytest.fixture
def customer_service(make_staff):
    return make_staff(roles.CUSTOMER_SERVICE, display_name="Chen Jing")


@pytest.fixture
def outbox(settings):
    """What the dispatcher sent, through the in-memory backend."""
    settings.STUDIO_MESSAGE_BACKEND = "tests.followups.backends.MemoryBackend"
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()
