"""What a branch's SMS goes out as: its registered signature, the provider's template code
for the message's template, and (Tencent) the SDK app id. Both SMS backends ask here, so a
branch's configuration is read in one place."""

from dataclasses import dataclass

from django.conf import settings

from .backends import NotSent
from .models import MessageTemplate, SmsSignature


@dataclass(frozen=True)
class SmsRoute:
    sign_name: str
    template_code: str
    app_id: str = ""


def sms_route(message, *, provider: str) -> SmsRoute:
    """The branch's signature and the template's code at `provider`; NotSent (final) when
    one is missing, since trying again cannot help until a manager fills it in."""
    signature = SmsSignature.objects.filter(branch_id=message.branch_id).first()
    if signature is None:
        raise NotSent(f"branch {message.branch_id} has no SMS signature", retry=False)
    code = template_code(message)
    if not code:
        raise NotSent(f"template {message.template_key} has no gateway code", retry=False)
    app_id = settings.TENCENT_SMS_SDK_APP_ID if provider == "tencent" else ""
    if provider == "tencent" and not app_id:
        raise NotSent("no Tencent Cloud SMS SDK app id", retry=False)
    return SmsRoute(sign_name=signature.sign_name, template_code=code, app_id=app_id)


def template_code(message) -> str:
    """The provider's code of the message's template, in the customer's language if it has
    one, else the site's."""
    codes = dict(
        MessageTemplate.objects.filter(key=message.template_key)
        .exclude(gateway_template_code="")
        .values_list("language", "gateway_template_code")
    )
    return codes.get(message.customer.language) or codes.get(settings.LANGUAGE_CODE) or ""
