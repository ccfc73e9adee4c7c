"""Tencent Cloud SMS (API 3.0, version 2021-01-11) over plain HTTP.

The same shape as Alibaba's (`followups.alibaba`): the branch's registered signature, the
provider's id of a registered template and its parameters, our message id as
`SessionContext`. Tencent's template parameters are positional ({1}, {2}...): they go in
the order the template's text names them. Requests are JSON POSTs signed with TC3-HMAC-
SHA256 (Tencent's "signature v3"), keyed with the SecretKey; the key pair and the SDK app
id come from the environment only (settings.TENCENTCLOUD_SECRET_ID / _KEY,
TENCENT_SMS_SDK_APP_ID) unless the branch's gateway names its own app id.

Tencent has no query by message: `PullSmsSendStatusByPhoneNumber` lists the delivery
receipts of a number since a time. A receipt carrying our SessionContext proves the
message went out; its absence proves nothing (a phone switched off answers hours later),
so the reconciler asks again for `RECEIPT_WAIT`, then leaves the message for a person
(docs/decisions.md, "Messages").
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from .backends import CANNOT_TELL, Lookup, NotSent
from .gateways import sms_route
from .models import Channel, MessageTemplate, SmsProvider

SERVICE = "sms"
VERSION = "2021-01-11"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
# Whole-request or per-number refusals after which the same message may go through later.
RETRYABLE_PREFIXES = (
    "InternalError",
    "RequestLimitExceeded",
    "FailedOperation.InsufficientBalanceInSmsPackage",
    "LimitExceeded.PhoneNumberThirtySecondLimit",
)
# How long after its claim a message with no receipt yet is asked about again, before a
# person is asked to settle it.
RECEIPT_WAIT = timedelta(minutes=30)
PAGE_SIZE = 100


class NoAnswer(Exception):
    """The gateway answered with something that is not an answer, or no receipt has come
    yet: it may or may not have acted on the request; ask again later."""


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sign(
    secret_key: str,
    *,
    method: str,
    host: str,
    query: str,
    content_type: str,
    payload: str,
    service: str,
    timestamp: int,
) -> str:
    """The TC3-HMAC-SHA256 signature of one request (headers signed: content-type, host)."""
    canonical = "\n".join(
        [
            method,
            "/",
            query,
            f"content-type:{content_type}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(payload.encode()).hexdigest(),
        ]
    )
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    to_sign = "\n".join(
        [
            ALGORITHM,
            str(timestamp),
            f"{day}/{service}/tc3_request",
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def phone_number(to: str) -> str:
    """E.164, as Tencent wants it: a mainland mobile (stored as 11 digits) gets +86."""
    return to if to.startswith("+") else f"+86{to}"


def is_retryable(code: str) -> bool:
    return code.startswith(RETRYABLE_PREFIXES)


class TencentSmsBackend:
    def __init__(self) -> None:
        self.endpoint = settings.TENCENT_SMS_ENDPOINT
        self.secret_id = settings.TENCENTCLOUD_SECRET_ID
        self.secret_key = settings.TENCENTCLOUD_SECRET_KEY
        self.region = settings.TENCENT_SMS_REGION
        self.timeout = settings.TENCENT_SMS_TIMEOUT

    def send(self, message) -> str:
        if message.channel != Channel.SMS:
            raise NotSent(f"Tencent Cloud SMS cannot send {message.channel}", retry=False)
        route = sms_route(message, provider=SmsProvider.TENCENT)
        answer = self._call(
            "SendSms",
            {
                "PhoneNumberSet": [phone_number(message.to)],
                "SmsSdkAppId": route.app_id,
                "SignName": route.sign_name,
                "TemplateId": route.template_code,
                "TemplateParamSet": ordered_params(message),
                "SessionContext": str(message.pk),
            },
        )
        error = answer.get("Error")
        if error:
            code = str(error.get("Code", ""))
            raise NotSent(f"{code}: {error.get('Message', '')}", retry=is_retryable(code))
        statuses = answer.get("SendStatusSet") or []
        if len(statuses) != 1:
            raise NoAnswer(f"{len(statuses)} send statuses for one number")
        status = statuses[0]
        code = str(status.get("Code", ""))
        if code != "Ok":
            raise NotSent(f"{code}: {status.get('Message', '')}", retry=is_retryable(code))
        return str(status.get("SerialNo", ""))

    def look_up(self, message) -> Lookup:
        """A receipt with our SessionContext since the claim: sent. None yet: ask again
        (NoAnswer) until RECEIPT_WAIT has passed, then a person settles it."""
        claimed = message.claimed_at or message.created_at
        route = sms_route(message, provider=SmsProvider.TENCENT)
        begin = int((claimed - timedelta(minutes=1)).timestamp())
        offset = 0
        while True:
            answer = self._call(
                "PullSmsSendStatusByPhoneNumber",
                {
                    "BeginTime": begin,
                    "EndTime": int(timezone.now().timestamp()),
                    "Offset": offset,
                    "Limit": PAGE_SIZE,
                    "PhoneNumber": phone_number(message.to),
                    "SmsSdkAppId": route.app_id,
                },
            )
            if answer.get("Error"):
                raise NoAnswer(f"{answer['Error'].get('Code')}: {answer['Error'].get('Message')}")
            receipts = answer.get("PullSmsSendStatusSet") or []
            for receipt in receipts:
                if str(receipt.get("SessionContext", "")) == str(message.pk):
                    detail = ""
                    if receipt.get("ReportStatus") == "FAIL":
                        detail = f"not delivered: {receipt.get('Description', '')}"[:300]
                    return Lookup(True, gateway_id=str(receipt.get("SerialNo", "")), detail=detail)
            if len(receipts) < PAGE_SIZE:
                break
            offset += PAGE_SIZE
        if timezone.now() - claimed < RECEIPT_WAIT:
            raise NoAnswer("no receipt yet")
        return CANNOT_TELL

    def _call(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """One signed request; returns its `Response`. Never reaching the gateway is
        `NotSent`; a timeout once the request left, or an answer without a Response, is
        `NoAnswer` or httpx's own error."""
        if not (self.secret_id and self.secret_key):
            raise NotSent("no Tencent Cloud secret key in the environment")
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        host = httpx.URL(self.endpoint).netloc.decode()
        timestamp = int(datetime.now(UTC).timestamp())
        signature = sign(
            self.secret_key,
            method="POST",
            host=host,
            query="",
            content_type=CONTENT_TYPE,
            payload=payload,
            service=SERVICE,
            timestamp=timestamp,
        )
        day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        headers = {
            "Authorization": (
                f"{ALGORITHM} Credential={self.secret_id}/{day}/{SERVICE}/tc3_request, "
                f"SignedHeaders=content-type;host, Signature={signature}"
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": action,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": VERSION,
            "X-TC-Region": self.region,
        }
        try:
            response = httpx.post(
                self.endpoint, content=payload.encode(), headers=headers, timeout=self.timeout
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise NotSent(f"gateway unreachable: {exc}") from exc
        try:
            answer = response.json()
        except ValueError:
            raise NoAnswer(f"HTTP {response.status_code} without JSON") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("Response"), dict):
            raise NoAnswer(f"HTTP {response.status_code} without a Response")
        return answer["Response"]


def ordered_params(message) -> list[str]:
    """The message's parameters in the order its template's text names them (Tencent's
    {1}, {2}...)."""
    template = _template_for(message)
    names = template.parameter_names() if template else list(message.params)
    return [str(message.params.get(name, "")) for name in names]


def _template_for(message) -> MessageTemplate | None:
    found = {t.language: t for t in MessageTemplate.objects.filter(key=message.template_key)}
    return found.get(message.customer.language) or found.get(settings.LANGUAGE_CODE)
