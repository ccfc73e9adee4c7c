"""The gateways' callbacks: delivery receipts and customers' replies.

Reached without a login, like the calendar feed (docs/decisions.md, "Access"): each
provider's URL carries its own secret token from the environment (a wrong or missing one
is a 404, as if the page did not exist); WeChat's also carries its signature (SHA-1 of
the account's token, timestamp and nonce). Each answers the provider as its
documentation asks, so the provider stops retrying; the work is in followups.receipts.
"""

import hashlib
import hmac
import json
import logging
import zoneinfo
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import receipts
from .models import Channel, SmsProvider

log = logging.getLogger(__name__)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def _token_matches(given: str, setting: str) -> None:
    expected = getattr(settings, setting, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Http404


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None


def _china_time(text: Any) -> datetime | None:
    try:
        return datetime.strptime(str(text), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    except ValueError:
        return None


def public(view: Any) -> Any:
    """A callback: no login, no CSRF (the provider cannot have our cookie), no role."""
    view = login_not_required(csrf_exempt(view))
    view.allowed_roles = ()
    return view


@public
@require_POST
def alibaba_report(request: HttpRequest, token: str) -> HttpResponse:
    """Alibaba's SmsReport push: a JSON list of receipts, by our OutId."""
    _token_matches(token, "ALIBABA_SMS_CALLBACK_TOKEN")
    for item in _list(_json_body(request)):
        out_id = str(item.get("out_id") or "")
        receipts.record_delivery(
            channel=Channel.SMS,
            delivered=item.get("success") in (True, "true"),
            detail=f"{item.get('err_code', '')} {item.get('err_msg', '')}".strip(),
            at=_china_time(item.get("report_time")),
            message_id=int(out_id) if out_id.isdigit() else None,
            gateway_id=str(item.get("biz_id") or ""),
        )
    return JsonResponse({"code": 0, "msg": "成功"})


@public
@require_POST
def alibaba_reply(request: HttpRequest, token: str) -> HttpResponse:
    """Alibaba's SmsUp push: a JSON list of customers' replies."""
    _token_matches(token, "ALIBABA_SMS_CALLBACK_TOKEN")
    for item in _list(_json_body(request)):
        phone, text = str(item.get("phone_number") or ""), str(item.get("content") or "")
        if phone and text:
            receipts.record_opt_out(
                phone,
                Channel.SMS,
                text,
                _china_time(item.get("send_time")) or timezone.now(),
                provider=SmsProvider.ALIBABA,
            )
    return JsonResponse({"code": 0, "msg": "成功"})


@public
@require_POST
def tencent_status(request: HttpRequest, token: str) -> HttpResponse:
    """Tencent's status callback: a JSON list of receipts, by SerialNo (`sid`)."""
    _token_matches(token, "TENCENT_SMS_CALLBACK_TOKEN")
    for item in _list(_json_body(request)):
        receipts.record_delivery(
            channel=Channel.SMS,
            delivered=item.get("report_status") == "SUCCESS",
            detail=f"{item.get('errmsg', '')} {item.get('description', '')}".strip(),
            at=_china_time(item.get("user_receive_time")),
            gateway_id=str(item.get("sid") or ""),
        )
    return JsonResponse({"result": 0, "errmsg": "OK"})


@public
@require_POST
def tencent_reply(request: HttpRequest, token: str) -> HttpResponse:
    """Tencent's reply callback: one customer's reply (or a list of them)."""
    _token_matches(token, "TENCENT_SMS_CALLBACK_TOKEN")
    for item in _list(_json_body(request)):
        phone, text = str(item.get("mobile") or ""), str(item.get("text") or "")
        nation = str(item.get("nationcode") or "86")
        if nation != "86":
            phone = f"+{nation}{phone}"
        try:
            at = datetime.fromtimestamp(int(item.get("time")), CHINA)
        except (TypeError, ValueError):
            at = timezone.now()
        if phone and text:
            receipts.record_opt_out(phone, Channel.SMS, text, at, provider=SmsProvider.TENCENT)
    return JsonResponse({"result": 0, "errmsg": "OK"})


def wechat_signature(token: str, timestamp: str, nonce: str) -> str:
    """WeChat's server signature: SHA-1 of the sorted token, timestamp and nonce."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


@public
@require_http_methods(["GET", "POST"])
def wechat_events(request: HttpRequest, token: str) -> HttpResponse:
    """The Official Account's server URL: GET is WeChat checking the address (echo
    `echostr`), POST an event; TEMPLATESENDJOBFINISH reports a template message's fate."""
    _token_matches(token, "WECHAT_CALLBACK_TOKEN")
    account_token = settings.WECHAT_TOKEN
    expected = wechat_signature(
        account_token, request.GET.get("timestamp", ""), request.GET.get("nonce", "")
    )
    if not account_token or not hmac.compare_digest(expected, request.GET.get("signature", "")):
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    try:
        event = {child.tag: (child.text or "") for child in ElementTree.fromstring(request.body)}
    except ElementTree.ParseError:
        return HttpResponse("bad xml", status=400, content_type="text/plain")
    if event.get("MsgType") == "event" and event.get("Event") == "TEMPLATESENDJOBFINISH":
        status = event.get("Status", "")
        created = event.get("CreateTime", "")
        receipts.record_delivery(
            channel=Channel.WECHAT,
            delivered=status == "success",
            detail=status,
            at=datetime.fromtimestamp(int(created), CHINA) if created.isdigit() else None,
            gateway_id=event.get("MsgID", ""),
            to=event.get("FromUserName", ""),
        )
    return HttpResponse("success", content_type="text/plain")


def _list(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        return []
    return [item for item in payload if isinstance(item, dict)]
