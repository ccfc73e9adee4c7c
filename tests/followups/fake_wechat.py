"""A local stand-in for the WeChat Official Account API: a real HTTP server on 127.0.0.1,
in a thread. It hands out access tokens for the right AppID and AppSecret
(/cgi-bin/token), refuses a template send with an unknown or expired token (40001 /
42001), checks the template id and its fields, drops a second send of the same
client_msg_id, and can refuse (`fail_next`) or answer slowly (`delay`)."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class FakeWeChat:
    def __init__(self, *, app_id="wx-test-app", secret="wx-test-secret", templates, followers):
        self.app_id = app_id
        self.secret = secret
        self.templates = {tid: set(fields) for tid, fields in templates.items()}
        self.followers = set(followers)
        self.tokens = set()
        self.tokens_issued = 0
        self.sent = {}  # client_msg_id -> [record, ...]
        self.fail_next = 0
        self.delay = 0.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

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

    def _handler(fake):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                if url.path == "/cgi-bin/token":
                    return self._reply(fake.token(dict(parse_qsl(url.query))))
                return self._reply({"errcode": 404, "errmsg": url.path})

            def do_POST(self):
                url = urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                if url.path == "/cgi-bin/message/template/send":
                    return self._reply(fake.send(dict(parse_qsl(url.query)), body))
                return self._reply({"errcode": 404, "errmsg": url.path})

            def _reply(self, payload):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        return Handler
