"""A local stand-in for Alibaba Cloud SMS (Dysmsapi 2017-05-25): a real HTTP server on
127.0.0.1, in a thread (`fake_gateway.FakeGateway`), that checks requests as the real one
does and keeps what it took.

It checks the RPC signature (written here from Alibaba's API reference, not imported from
the backend, so a mistake in one is not copied into the other), the AccessKeyId, the
signature nonce, the registered signature (签名), the template code and its named
parameters. It records every SendSms it accepted keyed by OutId, answers
QuerySendDetails from those records, and can be told to refuse (`fail_next`), to answer
slowly (`delay`), or to stop right after it took a message until the test lets it go
(`hold_next`: the moment the kill test kills the worker).
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from .fake_gateway import FakeGateway

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
COMMON = {
    "AccessKeyId",
    "Action",
    "Format",
    "RegionId",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
    "Version",
    "Signature",
}


def _enc(value):
    # RFC 3986 by hand: unreserved characters stay, every other byte is %XX (upper case).
    return "".join(
        chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "-_.~") else f"%{b:02X}"
        for b in str(value).encode()
    )


def expected_signature(method, params, secret):
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    canonical = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in pairs)
    string_to_sign = f"{method}&{_enc('/')}&{_enc(canonical)}"
    mac = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


class FakeAlibabaSms(FakeGateway):
    content_type = "application/json;charset=utf-8"

    def __init__(self, *, key_id="LTAI-test", secret="test-secret", signatures, templates):
        super().__init__()
        self.key_id = key_id
        self.secret = secret
        self.signatures = set(signatures)
        self.templates = {code: set(names) for code, names in templates.items()}
        self._nonces = set()

    def answer_http(self, method, path, headers, body):
        # RPC style: the parameters in the form body (POST) or the query string (GET).
        query = body.decode() if method == "POST" else path.partition("?")[2]
        return self.answer(method, dict(parse_qsl(query, keep_blank_values=True)))

    # --- the API ---

    def answer(self, method, params):
        refusal = self._check(method, params)
        if refusal:
            self.refuse(refusal[1]["Code"], params)
            return refusal
        if params["Action"] == "SendSms":
            return self._send_sms(params)
        if params["Action"] == "QuerySendDetails":
            return self._query(params)
        return 400, {"Code": "InvalidAction.NotFound", "Message": params["Action"]}

    def _check(self, method, params):
        missing = COMMON - params.keys()
        if missing:
            return 400, {"Code": "MissingParameter", "Message": ", ".join(sorted(missing))}
        if params["AccessKeyId"] != self.key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound"}
        if (params["Version"], params["SignatureMethod"], params["SignatureVersion"]) != (
            "2017-05-25",
            "HMAC-SHA1",
            "1.0",
        ):
            return 400, {"Code": "InvalidVersion"}
        stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs(datetime.now(UTC) - stamp) > timedelta(minutes=15):
            return 400, {"Code": "InvalidTimeStamp.Expired"}
        if expected_signature(method, params, self.secret) != params["Signature"]:
            return 400, {"Code": "SignatureDoesNotMatch"}
        with self._lock:
            if params["SignatureNonce"] in self._nonces:
                return 400, {"Code": "SignatureNonceUsed"}
            self._nonces.add(params["SignatureNonce"])
        return None

    def _send_sms(self, params):
        if params.get("SignName") not in self.signatures:
            return 400, {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": params.get("SignName")}
        names = self.templates.get(params.get("TemplateCode"))
        if names is None:
            return 400, {"Code": "isv.SMS_TEMPLATE_ILLEGAL"}
        values = json.loads(params.get("TemplateParam") or "{}")
        if set(values) != names:
            return 400, {"Code": "isv.TEMPLATE_MISSING_PARAMETERS", "Message": sorted(values)}
        phone = params.get("PhoneNumbers", "")
        if not (phone.isdigit() and len(phone) >= 11):
            return 400, {"Code": "isv.MOBILE_NUMBER_ILLEGAL"}
        biz_id = f"{int(time.time() * 1000)}^{uuid.uuid4().int % 10**10}"
        record = {
            "phone": phone,
            "sign_name": params["SignName"],
            "template_code": params["TemplateCode"],
            "params": values,
            "out_id": params.get("OutId", ""),
            "biz_id": biz_id,
            "at": datetime.now(CHINA),
        }
        busy = self.take(
            record["out_id"],
            record,
            failure=(500, {"Code": "isp.SYSTEM_ERROR", "Message": "system error"}),
        )
        if busy:
            return busy
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "fake"}

    def _query(self, params):
        self.queries += 1
        day = datetime.strptime(params["SendDate"], "%Y%m%d").replace(tzinfo=CHINA).date()
        size, page = int(params["PageSize"]), int(params["CurrentPage"])
        rows = self.records(lambda r: r["phone"] == params["PhoneNumber"] and r["at"].date() == day)
        shown = rows[(page - 1) * size : page * size]
        return 200, {
            "Code": "OK",
            "Message": "OK",
            "TotalCount": len(rows),
            "SmsSendDetailDTOs": {
                "SmsSendDetailDTO": [
                    {
                        "PhoneNum": r["phone"],
                        "SendStatus": 3,
                        "ErrCode": "DELIVERED",
                        "TemplateCode": r["template_code"],
                        "Content": json.dumps(r["params"], ensure_ascii=False),
                        "SendDate": r["at"].strftime("%Y-%m-%d %H:%M:%S"),
                        "ReceiveDate": r["at"].strftime("%Y-%m-%d %H:%M:%S"),
                        "OutId": r["out_id"],
                    }
                    for r in shown
                ]
            },
        }
