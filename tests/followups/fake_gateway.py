"""What the local fakes of the SMS gateways share (fake_alibaba, fake_tencent): a real
HTTP server on 127.0.0.1, in a thread, started by `with fake:`, that answers JSON and keeps
what it took, and the ways a test makes it misbehave.

Each fake checks its own provider's requests (signature scheme, credentials, registered
signature, template code and parameters) in `answer_http`; once a message passed those
checks it hands it to `take`, which refuses it instead (`fail_next`), or records it under
the caller's idempotency key and then holds (`hold_next`: the moment the kill test kills
the worker) or answers slowly (`delay`) as the test asked.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway:
    content_type = "application/json"

    def __init__(self):
        self.sent = {}  # the caller's idempotency key -> [record, ...]: two are a duplicate
        self.refused = []  # (code, request) of every request it refused
        self.fail_next = 0  # refuse the next n messages that pass the checks
        self.delay = 0.0  # seconds before answering a message it took
        self.hold_next = False  # stop after taking the next message until `release`
        self.accepted = threading.Event()  # set when a held message was taken
        self.release = threading.Event()
        self.queries = 0  # status queries asked
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._server.server_port}/"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def received(self, key):
        """How many times the message with this idempotency key was taken."""
        return len(self.sent.get(str(key), []))

    # --- for the fakes ---

    def answer_http(self, method, path, headers, body):
        """(status, payload) for one HTTP request; `body` is bytes (empty for a GET)."""
        raise NotImplementedError

    def refuse(self, code, request):
        with self._lock:
            self.refused.append((code, request))

    def take(self, key, record, *, failure):
        """Keep `record` as a message taken under `key`, and None; or, while `fail_next`
        says so, take nothing and return `failure` (the provider's "system busy")."""
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return failure
            self.sent.setdefault(key, []).append(record)
            hold, self.hold_next = self.hold_next, False
        if hold:  # taken: now the worker is killed before it hears back
            self.accepted.set()
            self.release.wait(30)
        if self.delay:
            time.sleep(self.delay)
        return None

    def records(self, keep):
        """Every message taken for which `keep(record)` is true, in the order taken per key."""
        with self._lock:
            return [r for records in self.sent.values() for r in records if keep(r)]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._reply(*self.server.fake.answer_http("GET", self.path, self.headers, b""))

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._reply(*self.server.fake.answer_http("POST", self.path, self.headers, body))

    def _reply(self, status, payload):
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", self.server.fake.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the caller hung up (timed out, or was killed)

    def log_message(self, *args):
        pass
