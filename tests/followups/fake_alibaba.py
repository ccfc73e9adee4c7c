"""A local stand-in for Alibaba Cloud SMS (Dysmsapi 2017-05-25): a real HTTP server on
127.0.0.1, in a thread, that checks requests as the real one does and keeps what it took.

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
import threading
import time
import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

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


class FakeAlibabaSms:
    def __init__(self, *, key_id="LTAI-test", secret="test-secret", signatures, templates):
        self.key_id = key_id
        self.secret = secret
        self.signatures = set(signatures)
        self.templates = {code: set(names) for code, names in templates.items()}
        self.sent = {}  # OutId -> [record, ...]: more than one is a duplicate SMS
        self.refused = []  # (Code, params) of every request it refused
        self.fail_next = 0
        self.delay = 0.0
        self.hold_next = False
        self.accepted = threading.Event()  # set when a held message was taken
        self.release = threading.Event()
        self.queries = 0
        self._nonces = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def received(self, out_id):
        return len(self.sent.get(str(out_id), []))

    # --- the API ---

    def answer(self, method, params):
        refusal = self._check(method, params)
        if refusal:
            with self._lock:
                self.refused.append((refusal[1]["Code"], params))
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
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return 500, {"Code": "isp.SYSTEM_ERROR", "Message": "system error"}
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
            self.sent.setdefault(record["out_id"], []).append(record)
            hold, self.hold_next = self.hold_next, False
        if hold:  # taken: now the worker is killed before it hears back
            self.accepted.set()
            self.release.wait(30)
        if self.delay:
            time.sleep(self.delay)
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "fake"}

    def _query(self, params):
        self.queries += 1
        day = datetime.strptime(params["SendDate"], "%Y%m%d").replace(tzinfo=CHINA).date()
        size, page = int(params["PageSize"]), int(params["CurrentPage"])
        with self._lock:
            rows = [
                r
                for records in self.sent.values()
                for r in records
                if r["phone"] == params["PhoneNumber"] and r["at"].date() == day
            ]
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

    def _handler(fake):
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                self._reply(*fake.answer("POST", dict(parse_qsl(body, keep_blank_values=True))))

            def do_GET(self):
                query = self.path.partition("?")[2]
                self._reply(*fake.answer("GET", dict(parse_qsl(query, keep_blank_values=True))))

            def _reply(self, status, payload):
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the caller hung up (timed out, or was killed)

            def log_message(self, *args):
                pass

        return Handler
