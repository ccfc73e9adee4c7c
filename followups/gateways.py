"""What a branch's SMS goes out as, and through whom: the branch's gateway (`SmsSignature`:
provider, registered signature, Tencent's SDK app id) and the provider's code for the
message's template (`SmsTemplateCode`, else the template's chain-wide code). Both SMS
backends ask here, so a branch's configuration is read in one place."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .backends import CANNOT_TELL, Lookup, NotSent
from .models import MessageTemplate, OutboxMessage, SmsProvider, SmsSignature, SmsTemplateCode

BACKENDS = {
    SmsProvider.ALIBABA: "followups.alibaba.AlibabaSmsBackend",
    SmsProvider.TENCENT: "followups.tencent.TencentSmsBackend",
}


@dataclass(frozen=True)
class SmsRoute:
    sign_name: str
    template_code: str
    app_id: str = ""


def sms_route(message: Any, *, provider: str) -> SmsRoute:
    """The branch's signature and the template's code at `provider`; NotSent (final) when
    one is missing, since trying again cannot help until a manager fills it in."""
    gateway = SmsSignature.objects.filter(branch_id=message.branch_id).first()
    if gateway is None:
        raise NotSent(f"branch {message.branch_id} has no SMS signature", retry=False)
    code = template_code(message, provider=provider)
    if not code:
        raise NotSent(f"template {message.template_key} has no gateway code", retry=False)
    app_id = ""
    if provider == SmsProvider.TENCENT:
        app_id = gateway.sdk_app_id or settings.TENCENT_SMS_SDK_APP_ID
        if not app_id:
            raise NotSent("no Tencent Cloud SMS SDK app id", retry=False)
    return SmsRoute(sign_name=gateway.sign_name, template_code=code, app_id=app_id)


def template_code(message: Any, *, provider: str) -> str:
    """The provider's code of the message's template for its branch, else the template's
    chain-wide code; in the customer's language if it has one, else the site's."""
    languages = (message.customer.language, settings.LANGUAGE_CODE)
    branch_codes = dict(
        SmsTemplateCode.objects.filter(
            branch_id=message.branch_id, provider=provider, template_key=message.template_key
        ).values_list("language", "code")
    )
    chain_codes = dict(
        MessageTemplate.objects.filter(key=message.template_key)
        .exclude(gateway_template_code="")
        .values_list("language", "gateway_template_code")
    )
    for codes in (branch_codes, chain_codes):
        for language in languages:
            if codes.get(language):
                return codes[language]
    return ""


class BranchSmsBackend:
    """Sends each SMS through its branch's provider (`SmsSignature.provider`); set
    STUDIO_SMS_BACKEND=followups.gateways.BranchSmsBackend. The provider is written on the
    message before the call, so a message in doubt is asked about at the provider that
    took it even if the branch has switched since."""

    def send(self, message: Any) -> str:
        gateway = SmsSignature.objects.filter(branch_id=message.branch_id).first()
        if gateway is None:
            raise NotSent(f"branch {message.branch_id} has no SMS gateway", retry=False)
        OutboxMessage.objects.filter(pk=message.pk).update(provider=gateway.provider)
        message.provider = gateway.provider
        return str(_backend(gateway.provider).send(message))

    def look_up(self, message: Any) -> Lookup:
        if not message.provider:
            return CANNOT_TELL
        backend = _backend(message.provider)
        ask = getattr(backend, "look_up", None)
        return CANNOT_TELL if ask is None else ask(message)


def _backend(provider: str) -> Any:
    return import_string(BACKENDS[SmsProvider(provider)])()
