"""The production stack, as `make serve` runs it: gunicorn with DEBUG off, whitenoise's
hashed and compressed static files, sessions in Redis, and /health/ telling a load
balancer what is down (here: the Celery broker) while the pages keep working."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from studio import roles, services
from studio.celery import app

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

BASE = str(settings.BASE_DIR)
PASSWORD = "smoke-test-Pw-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(static_root, media_root, **extra):
    """The environment of a production host, on the test's database and Redis."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        ),
        REDIS_URL=settings.REDIS_URL,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="smoke-" + "k" * 40 + "-Vb7#x9!pQ2@zL4$wN8^mR1&tY6",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        PYTHONUNBUFFERED="1",
    )
    env.pop("CELERY_BROKER_URL", None)
    env.update(extra)
    return env


@contextmanager
def gunicorn(env, log):
    port = free_port()
    process = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "studio.wsgi",
        ],
        cwd=BASE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "gunicorn exited; see its log"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
                time.sleep(0.2)
        yield Browser(port)
    finally:
        process.terminate()
        process.wait(timeout=30)


class Browser:
    """Plain HTTP to gunicorn, as nginx forwards it after ending TLS (X-Forwarded-Proto),
    keeping cookies by hand: the session cookie is Secure."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, content

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def login(self, username, password):
        response, page = self.get("/accounts/login/")
        assert response.status == 200, page[:500]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, _ = self.request(
            "POST",
            "/accounts/login/",
            form={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.decode(),
            },
        )
        assert response.status == 302, "login refused"

    def health(self):
        response, body = self.get("/health/", Accept="application/json")
        return response.status, {
            key.split("(")[0]: value for key, value in json.loads(body).items()
        }


def assert_today_with_its_css(browser):
    response, page = browser.get("/")
    assert response.status == 200, page[:1000]
    assert b"Li Smoke" in page  # the receptionist's own Today
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', page)
    studio_css = next(s.decode() for s in stylesheets if b"studio/studio." in s)
    assert re.search(r"/static/studio/studio\.[0-9a-f]{12}\.css$", studio_css), studio_css
    response, css = browser.get(studio_css, **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"  # whitenoise's compressed copy
    assert "max-age=315360000" in response.headers["Cache-Control"]  # hashed: forever


def test_gunicorn_with_debug_off_serves_pages_css_and_health(tmp_path, branch, make_staff):
    staff = make_staff(roles.RECEPTIONIST, display_name="Li Smoke")
    # The production host hashes with Django's default hasher, not the tests' fast one.
    staff.user.password = PBKDF2PasswordHasher().encode(PASSWORD, "smoketestsalt")
    staff.user.save(update_fields=["password"])
    services.record_heartbeat(name="beat")  # beat ran a moment ago

    static_root, media_root = tmp_path / "static", tmp_path / "media"
    env = production_env(static_root, media_root)
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collect.returncode == 0, collect.stderr
    log_path = tmp_path / "gunicorn.log"

    with (
        open(log_path, "w") as log,
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        try:
            with gunicorn(env, log) as browser:
                browser.login(staff.user.username, PASSWORD)
                assert_today_with_its_css(browser)
                status, checks = browser.health()
                assert status == 200, checks
                assert set(checks) == {
                    "Database",
                    "Cache",
                    "Storage",
                    "Ping",
                    "BeatHeartbeat",
                    "Redis",
                }
                assert set(checks.values()) == {"OK"}, checks
                cookies = browser.cookies

            # The Celery broker is down (nothing listens on its port): /health/ says so,
            # the desk goes on working with the same session.
            dead_broker = f"redis://127.0.0.1:{free_port()}/0"
            with gunicorn({**env, "CELERY_BROKER_URL": dead_broker}, log) as browser:
                browser.cookies = cookies
                status, checks = browser.health()
                assert status == 500, checks
                assert checks.pop("Ping") != "OK"
                assert set(checks.values()) == {"OK"}, checks
                assert_today_with_its_css(browser)
        except AssertionError:
            log.flush()
            print(log_path.read_text()[-5000:])
            raise
