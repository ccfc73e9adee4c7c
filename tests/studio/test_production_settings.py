"""Production options switched on by the environment (each in a fresh interpreter)."""

import json
import os
import subprocess
import sys

from django.conf import settings

BASE = str(settings.BASE_DIR)
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 30 + "-Vb7#x9!pQ2@zL4$wN8^mR1&tY6*uI3(oP0)",
    "DJANGO_ALLOWED_HOSTS": "studio.example.com",
    "DATABASE_URL": "postgres://studio@db.example.com:5432/studio",
    "REDIS_URL": "redis://redis.example.com:6379/0",
}


def settings_in(code, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_"))}
    clean.update(PRODUCTION)
    clean.update(env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, json, django; os.environ['DJANGO_SETTINGS_MODULE']='studio.settings';"
            "django.setup(); from django.conf import settings as s;" + code,
        ],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_checked_connections_and_sessions_in_redis():
    seen = settings_in(
        "print(json.dumps([s.DATABASES['default']['CONN_MAX_AGE'],"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.SESSION_ENGINE,"
        " s.CACHES['default']['BACKEND'], s.STORAGES['staticfiles']['BACKEND'],"
        " s.SECURE_PROXY_SSL_HEADER, s.MIDDLEWARE[:3], s.CELERY_BROKER_URL]))"
    )
    assert seen == [
        60,
        True,
        "django.contrib.sessions.backends.cache",
        "studio.cache.RedisCache",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ["HTTP_X_FORWARDED_PROTO", "https"],
        [
            "django_guid.middleware.guid_middleware",
            "django.middleware.security.SecurityMiddleware",
            "whitenoise.middleware.WhiteNoiseMiddleware",
        ],
        "redis://redis.example.com:6379/0",
    ]


def test_a_separate_broker_and_s3_uploads_from_the_environment():
    seen = settings_in(
        "from django.core.files.storage import storages; d = storages['default'];"
        "print(json.dumps([s.CELERY_BROKER_URL, type(d).__name__, d.bucket_name, d.endpoint_url]))",
        CELERY_BROKER_URL="redis://queue.example.com:6379/1",
        S3_BUCKET="studio-media",
        S3_ENDPOINT_URL="https://oss-cn-shanghai.aliyuncs.com",
    )
    assert seen == [
        "redis://queue.example.com:6379/1",
        "S3Storage",
        "studio-media",
        "https://oss-cn-shanghai.aliyuncs.com",
    ]


def test_sentry_reports_errors_when_a_dsn_is_set():
    code = "import sentry_sdk; print(json.dumps(sentry_sdk.get_client().is_active()))"
    assert settings_in(code, SENTRY_DSN="https://key@sentry.example.com/1") is True
    assert settings_in(code) is False


def test_reports_read_from_the_replica_and_nothing_else_does():
    seen = settings_in(
        "from django.db import router; from orders.models import Order;"
        "from studio.dbrouters import replica\n"
        "with replica(): inside = [router.db_for_read(Order), router.db_for_write(Order)]\n"
        "print(json.dumps([inside, router.db_for_read(Order), s.DATABASES['replica']['HOST']]))",
        DATABASE_REPLICA_URL="postgres://studio_ro@replica.example.com:5432/studio",
    )
    assert seen == [["replica", "default"], "default", "replica.example.com"]


def test_without_a_replica_reports_read_the_primary():
    seen = settings_in(
        "from django.db import router; from orders.models import Order;"
        "from studio.dbrouters import replica\n"
        "with replica(): print(json.dumps(router.db_for_read(Order)))"
    )
    assert seen == "default"
