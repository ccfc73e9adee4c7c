"""Alibaba Cloud SMS (Dysmsapi, version 2017-05-25) over plain HTTP.

A Chinese SMS is not free text: it is the branch's registered signature (签名, an
`SmsSignature`), the provider's code of a registered template (the template's
`gateway_template_code`, which managers edit) and the template's named parameters as JSON
(`OutboxMessage.params`). Our message id is the `OutId`, so `look_up` finds the message in
QuerySendDetails after a crash. Requests carry the RPC signature of Alibaba's API
reference: HMAC-SHA1, keyed with the AccessKey secret and "&", of the method, "/" and the
canonicalised query, all percent-encoded by RFC 3986. The key pair comes from the
environment only (settings.ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET).
Why plain HTTP rather than Alibaba's SDK: docs/decisions.md, "Messages".
"""

import base64
import hashlib
import hmac
import json
import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings
from django.utils import timezone

from .backends import CANNOT_TELL, NEVER_RECEIVED, Lookup, NotSent
from .gateways import sms_route
from .models import Channel, SmsProvider

VERSION = "2017-05-25"
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
# Refusals after which the same request may go through later (busy, throttled, balance
# topped up); any other code (a wrong number, signature or template) is final.
RETRYABLE = {
    "isp.SYSTEM_ERROR",
    "isv.BUSINESS_LIMIT_CONTROL",
    "isv.AMOUNT_NOT_ENOUGH",
    "Throttling.User",
    "Throttling",
    "ServiceUnavailable",
    "InternalError",
}
# QuerySendDetails reaches this far back; an older claim cannot be checked any more.
QUERY_WINDOW = timedelta(days=29)
PAGE_SIZE = 50


class NoAnswer(Exception):
    """The gateway answered with something that is not an answer (no JSON, no Code): it
    may or may not have acted on the request."""


def percent_encode(value: object) -> str:
    """RFC 3986, as the signature wants it: spaces %20, `*` %2A, `~` kept, UTF-8."""
    return quote(str(value), safe="~")


def sign(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """The RPC signature of `params` (without `Signature`)."""
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def phone_number(to: str) -> str:
    """Mainland numbers as 11 digits; others as country code and number, without "+"."""
    return to.removeprefix("+")


class AlibabaSmsBackend:
    def __init__(self) -> None:
        self.endpoint = settings.ALIBABA_SMS_ENDPOINT
        self.key_id = settings.ALIBABA_CLOUD_ACCESS_KEY_ID
        self.secret = settings.ALIBABA_CLOUD_ACCESS_KEY_SECRET
        self.timeout = settings.ALIBABA_SMS_TIMEOUT

    def send(self, message) -> str:
        if message.channel != Channel.SMS:
            raise NotSent(f"Alibaba Cloud SMS cannot send {message.channel}", retry=False)
        route = sms_route(message, provider=SmsProvider.ALIBABA)
        answer = self._call(
            {
                "Action": "SendSms",
                "PhoneNumbers": phone_number(message.to),
                "SignName": route.sign_name,
                "TemplateCode": route.template_code,
                "TemplateParam": json.dumps(
                    message.params, ensure_ascii=False, separators=(",", ":")
                ),
                "OutId": str(message.pk),
            }
        )
        if answer["Code"] != "OK":
            raise NotSent(
                f"{answer['Code']}: {answer.get('Message', '')}",
                retry=answer["Code"] in RETRYABLE,
            )
        return str(answer.get("BizId", ""))

    def look_up(self, message) -> Lookup:
        """Did Alibaba get our OutId? QuerySendDetails lists a number's messages of one day
        (China time): the day of the claim, and the next when the claim was near midnight."""
        claimed = message.claimed_at or message.created_at
        if timezone.now() - claimed > QUERY_WINDOW:
            return CANNOT_TELL
        days = sorted(
            {timezone.localtime(at, CHINA).date() for at in (claimed, claimed + timedelta(hours=1))}
        )
        for day in days:
            page = 1
            while True:
                answer = self._call(
                    {
                        "Action": "QuerySendDetails",
                        "PhoneNumber": phone_number(message.to),
                        "SendDate": day.strftime("%Y%m%d"),
                        "PageSize": str(PAGE_SIZE),
                        "CurrentPage": str(page),
                    }
                )
                if answer["Code"] != "OK":
                    raise NoAnswer(f"{answer['Code']}: {answer.get('Message', '')}")
                details = (answer.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
                for detail in details:
                    if str(detail.get("OutId", "")) == str(message.pk):
                        return Lookup(True, detail=_delivery(detail))
                if page * PAGE_SIZE >= int(answer.get("TotalCount") or 0):
                    break
                page += 1
        return NEVER_RECEIVED

    def _call(self, params: dict[str, str]) -> dict[str, Any]:
        """One signed request. Never reaching the gateway is `NotSent`; a timeout once the
        request left, or an answer without a Code, is `NoAnswer` or httpx's own error."""
        if not (self.key_id and self.secret):
            raise NotSent("no Alibaba Cloud access key in the environment")
        full = {
            "AccessKeyId": self.key_id,
            "Format": "JSON",
            "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": VERSION,
            **params,
        }
        full["Signature"] = sign(full, self.secret, "POST")
        try:
            response = httpx.post(self.endpoint, data=full, timeout=self.timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise NotSent(f"gateway unreachable: {exc}") from exc
        try:
            answer = response.json()
        except ValueError:
            raise NoAnswer(f"HTTP {response.status_code} without JSON") from None
        if not isinstance(answer, dict) or not answer.get("Code"):
            raise NoAnswer(f"HTTP {response.status_code} without a Code")
        return answer


def _delivery(detail: dict[str, Any]) -> str:
    """SendStatus 1 waits for the operator's receipt, 2 failed, 3 delivered."""
    if str(detail.get("SendStatus")) == "2":
        return f"not delivered: {detail.get('ErrCode', '')}"[:300]
    return ""
