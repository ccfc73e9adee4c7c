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


@pytest.fixture
def sms_branch(customer):
    """The customer's branch ready to send the thank-you after a visit by SMS through a
    gateway: awake (quiet hours hold nothing back) and with its signature (签名).
    sms_branch(code) gives the text that template code at the gateway -> the customer's
    template."""
    from followups.models import MessageTemplate, SmsSignature

    from .gateway_cases import KEY, SIGN_NAME
    from .test_celery_dispatch import _daytime_zone

    customer.branch.timezone = _daytime_zone()
    customer.branch.save()
    SmsSignature.objects.create(branch=customer.branch, sign_name=SIGN_NAME)

    def with_code(code):
        MessageTemplate.objects.filter(key=KEY).update(gateway_template_code=code)
        return MessageTemplate.objects.get(key=KEY, language=customer.language)

    return with_code
