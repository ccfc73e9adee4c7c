"""A local stand-in for the WeChat Official Account API: a real HTTP server on 127.0.0.1,
in a thread (`fake_gateway.FakeGateway`). It hands out access tokens for the right AppID
and AppSecret (/cgi-bin/token), refuses a template send with an unknown or expired token
(40001 / 42001), checks the template id and its fields, drops a second send of the same
client_msg_id, and can refuse (`fail_next`) or answer slowly (`delay`)."""

import json
import time
import uuid
from urllib.parse import parse_qsl, urlsplit

from .fake_gateway import FakeGateway


class FakeWeChat(FakeGateway):
    def __init__(self, *, app_id="wx-test-app", secret="wx-test-secret", templates, followers):
        super().__init__()
        self.app_id = app_id
        self.secret = secret
        self.templates = {tid: set(fields) for tid, fields in templates.items()}
        self.followers = set(followers)
        self.tokens = set()
        self.tokens_issued = 0
        self.url = self.url.rstrip("/")  # the backend adds /cgi-bin/...

    def answer_http(self, method, path, headers, body):
        url = urlsplit(path)
        query = dict(parse_qsl(url.query))
        if method == "GET" and url.path == "/cgi-bin/token":
            return 200, self.token(query)
        if method == "POST" and url.path == "/cgi-bin/message/template/send":
            return 200, self.send(query, json.loads(body or b"{}"))
        return 200, {"errcode": 404, "errmsg": url.path}

    def expire_tokens(self):
        self.tokens.clear()

    def received(self, message_pk):
        return len(self.sent.get(f"studio-{message_pk}", []))

    def token(self, query):
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if (query.get("appid"), query.get("secret")) != (self.app_id, self.secret):
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = uuid.uuid4().hex
        with self._lock:
            self.tokens.add(token)
            self.tokens_issued += 1
        return {"access_token": token, "expires_in": 7200}

    def send(self, query, body):
        token = query.get("access_token")
        if token not in self.tokens:
            return {"errcode": 42001 if token else 41001, "errmsg": "access_token expired"}
        if body.get("touser") not in self.followers:
            return {"errcode": 43004, "errmsg": "require subscribe"}
        fields = self.templates.get(body.get("template_id"))
        if fields is None:
            return {"errcode": 40037, "errmsg": "invalid template_id"}
        data = body.get("data") or {}
        if set(data) != fields or not all(
            isinstance(v, dict) and isinstance(v.get("value"), str) for v in data.values()
        ):
            return {"errcode": 47003, "errmsg": "argument invalid! data.format invalid"}
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return {"errcode": -1, "errmsg": "system error"}
            key = body.get("client_msg_id", "")
            if key and key in self.sent:  # WeChat drops a repeated client_msg_id
                return {"errcode": 0, "errmsg": "ok", "msgid": self.sent[key][0]["msgid"]}
            msgid = int(time.time() * 1000)
            self.sent.setdefault(key, []).append(
                {"touser": body["touser"], "template_id": body["template_id"], "data": data,
                 "msgid": msgid}
            )  # fmt: skip
        if self.delay:
            time.sleep(self.delay)
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}
