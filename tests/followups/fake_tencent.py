"""A local stand-in for Tencent Cloud SMS (API 3.0, 2021-01-11): a real HTTP server on
127.0.0.1, in a thread (`fake_gateway.FakeGateway`), that checks requests as the real one
does and keeps what it took.

It checks the TC3-HMAC-SHA256 signature (written here from Tencent's documentation, not
imported from the backend), the SecretId, the timestamp (5 minutes), the action and
version headers, the SDK app id, the registered signature (签名), the template id and the
number of its positional parameters. It records every SendSms it accepted keyed by
SessionContext, answers PullSmsSendStatusByPhoneNumber with a receipt for each, and can
refuse (`fail_next`), answer slowly (`delay`), hold right after taking a message
(`hold_next`), or take messages without sending a receipt yet (`receipts = False`).
"""

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime

from .fake_gateway import FakeGateway


def expected_signature(secret_key, *, method, host, content_type, body, timestamp, day):
    canonical_request = (
        f"{method}\n/\n\ncontent-type:{content_type}\nhost:{host}\n\ncontent-type;host\n"
        + hashlib.sha256(body).hexdigest()
    )
    string_to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n"
        + hashlib.sha256(canonical_request.encode()).hexdigest()
    )

    def mac(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    signing = mac(mac(mac(("TC3" + secret_key).encode(), day), "sms"), "tc3_request")
    return hmac.new(signing, string_to_sign.encode(), hashlib.sha256).hexdigest()


def _error(code, message=""):
    return {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}


class FakeTencentSms(FakeGateway):
    def __init__(
        self,
        *,
        secret_id="AKID-test",
        secret_key="test-key",
        app_id="1400006666",
        signatures,
        templates,
    ):
        super().__init__()
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.app_id = app_id
        self.signatures = set(signatures)
        self.templates = dict(templates)  # template id -> number of parameters
        self.receipts = True  # False: messages taken, no receipt for them yet

    def answer_http(self, method, path, headers, body):
        if method != "POST":
            return 200, {"Response": _error("InvalidParameter", "POST only")}
        try:
            return 200, {"Response": self.answer(headers, body)}
        except (ValueError, KeyError) as exc:
            return 200, {"Response": _error("InvalidParameter", repr(exc))}

    # --- the API ---

    def answer(self, headers, body):
        refusal = self._check(headers, body)
        if refusal:
            self.refuse(refusal["Error"]["Code"], body)
            return refusal
        params = json.loads(body)
        action = headers.get("X-TC-Action")
        if action == "SendSms":
            return self._send_sms(params)
        if action == "PullSmsSendStatusByPhoneNumber":
            return self._pull(params)
        return _error("InvalidAction", action)

    def _check(self, headers, body):
        auth = headers.get("Authorization", "")
        if not auth.startswith("TC3-HMAC-SHA256 "):
            return _error("AuthFailure.InvalidAuthorization")
        parts = dict(
            p.strip().split("=", 1) for p in auth.removeprefix("TC3-HMAC-SHA256 ").split(",")
        )
        secret_id, day, service, terminator = parts.get("Credential", "////").split("/")
        if secret_id != self.secret_id:
            return _error("AuthFailure.SecretIdNotFound")
        if (headers.get("X-TC-Version"), service, terminator) != (
            "2021-01-11",
            "sms",
            "tc3_request",
        ):
            return _error("InvalidParameter", "version or credential scope")
        if parts.get("SignedHeaders") != "content-type;host":
            return _error("AuthFailure.SignatureFailure", "signed headers")
        timestamp = int(headers.get("X-TC-Timestamp") or 0)
        if abs(time.time() - timestamp) > 300:
            return _error("AuthFailure.SignatureExpire")
        if datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d") != day:
            return _error("AuthFailure.SignatureFailure", "credential date")
        expected = expected_signature(
            self.secret_key,
            method="POST",
            host=headers.get("Host", ""),
            content_type=headers.get("Content-Type", ""),
            body=body,
            timestamp=timestamp,
            day=day,
        )
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return _error("AuthFailure.SignatureFailure")
        return None

    def _send_sms(self, params):
        if params.get("SmsSdkAppId") != self.app_id:
            return _error("InvalidParameterValue.SdkAppIdNotExist")
        if params.get("SignName") not in self.signatures:
            return _error("FailedOperation.SignatureIncorrectOrUnapproved", params.get("SignName"))
        count = self.templates.get(params.get("TemplateId"))
        if count is None:
            return _error("FailedOperation.TemplateIncorrectOrUnapproved")
        values = params.get("TemplateParamSet") or []
        if len(values) != count or not all(isinstance(v, str) for v in values):
            return _error("InvalidParameterValue.TemplateParameterFormatError", str(values))
        (phone,) = params.get("PhoneNumberSet") or [""]
        serial = f"2433:{uuid.uuid4().int % 10**20}"
        record = {
            "phone": phone,
            "sign_name": params["SignName"],
            "template_id": params["TemplateId"],
            "params": values,
            "session_context": params.get("SessionContext", ""),
            "serial": serial,
            "at": time.time(),
        }
        busy = self.take(
            record["session_context"],
            record,
            failure=_error("InternalError.Timeout", "system busy"),
        )
        if busy:
            return busy
        return {
            "SendStatusSet": [
                {
                    "SerialNo": serial,
                    "PhoneNumber": phone,
                    "Fee": 1,
                    "SessionContext": record["session_context"],
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                }
            ],
            "RequestId": str(uuid.uuid4()),
        }

    def _pull(self, params):
        self.queries += 1
        if params.get("SmsSdkAppId") != self.app_id:
            return _error("InvalidParameterValue.SdkAppIdNotExist")
        offset, limit = int(params["Offset"]), int(params["Limit"])
        rows = self.records(
            lambda r: (
                self.receipts
                and r["phone"] == params["PhoneNumber"]
                and int(params["BeginTime"]) <= r["at"]
            )
        )
        return {
            "PullSmsSendStatusSet": [
                {
                    "UserReceiveTime": datetime.fromtimestamp(r["at"], UTC).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                    "CountryCode": "86",
                    "SubscriberNumber": r["phone"].removeprefix("+86"),
                    "PhoneNumber": r["phone"],
                    "SerialNo": r["serial"],
                    "ReportStatus": "SUCCESS",
                    "Description": "DELIVRD",
                    "SessionContext": r["session_context"],
                }
                for r in rows[offset : offset + limit]
            ],
            "RequestId": str(uuid.uuid4()),
        }
