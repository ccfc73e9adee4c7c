"""Settings come from the environment (run in a fresh interpreter each time)."""

import os
import subprocess
import sys

from django.conf import settings

BASE = str(settings.BASE_DIR)


def run(code, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "DJANGO_SECRET_KEY"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_nothing_set_it_runs_on_sqlite_and_a_file_broker():
    result = run(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='studio.settings';"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    result = run(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='studio.settings';"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.stdout.split() == ["studio.postgresql", "redis://127.0.0.1:6379/0"]


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "studio.example.com",
            "DJANGO_SECRET_KEY": "k" * 30 + "-Vb7#x9!pQ2@zL4$wN8^mR1&tY6*uI3(oP0)",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='studio.settings';"
        "from django.conf import settings as s; s.DEBUG",
        DJANGO_DEBUG="0",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
