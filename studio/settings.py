"""Settings read from the environment.

With nothing set the project runs anywhere: SQLite in the project folder and a Celery
broker kept in files under var/. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; every other
variable it reads is listed in docs/deploy.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# The project's apps: the core, the orders, the stages, and the pages that gather them all
# (their layers: docs/decisions.md, "Layers"). The order is the translations' precedence
# when two apps translate the same words; a test keeps the catalogues from disagreeing
# (docs/decisions.md, "Translations").
PROJECT_APPS = [
    "studio",
    "orders",
    "shoots",
    "selection",
    "pickup",
    "rentals",
    "followups",
    "commissions",
    "overview",
    "couple",
    "demo_studio",
]
INSTALLED_APPS = [
    # The studio's apps first: their translations and templates win over Django's.
    *PROJECT_APPS,
    "studio.apps.StudioAdminConfig",  # django.contrib.admin on the branch-scoped site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_fsm",
    "django_fsm_log",
    "django_celery_beat",
    "simple_history",
    "django_guid",
    "health_check",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",  # the request id, for every log line after it
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "studio.middleware.BranchMiddleware",
]

if not DEBUG:
    # Static files from STATIC_ROOT (collectstatic); with DEBUG on, runserver serves them.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "studio.urls"
# The refusal pages are the studio's own, in the layout and the reader's language.
CSRF_FAILURE_VIEW = "studio.errors.csrf_failure"
WSGI_APPLICATION = "studio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "studio.context_processors.staff",
            ],
        },
    },
]

# Connections are kept (DB_CONN_MAX_AGE seconds, 60 with DEBUG off) and checked before reuse.
_conn_max_age = int(os.environ.get("DB_CONN_MAX_AGE", "0" if DEBUG else "60"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=_conn_max_age,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, checking a kept connection without a round trip when it is plainly healthy.
    DATABASES["default"]["ENGINE"] = "studio.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several desks at once on the zero-setup database: readers never wait for the writer
    # (WAL), every transaction takes the write lock when it begins (IMMEDIATE, so two writers
    # queue instead of failing half-way with "database is locked") and waits up to 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# The SQL every request runs (who is signed in, whether a polled fragment changed) and the
# busiest pages' reads (studio.prepared.Prepared) are kept prepared on each connection
# (studio.prepared.planned_once). A pooler in transaction mode must keep prepared
# statements (PgBouncer 1.21+ with max_prepared_statements), or set 0.
DB_PREPARED_STATEMENTS = os.environ.get("DB_PREPARED_STATEMENTS", "1") != "0"
# A read-only PostgreSQL replica for the managers' reports (studio.dbrouters), when set.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=_conn_max_age, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["ENGINE"] = "studio.postgresql"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["studio.dbrouters.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploads on the local file system, or on S3-compatible object storage (django-storages)
# when S3_BUCKET is set. With DEBUG off, whitenoise serves static files compressed and
# with hashed names (collectstatic writes them to STATIC_ROOT first).
if os.environ.get("S3_BUCKET"):
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            # Signed addresses (the photos' redirects) in Signature V4, which every region
            # and S3-compatible store takes; V2 is refused by newer regions.
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
else:
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# The couples' photos (selection.Photo) are private: a storage of their own, never under
# MEDIA_URL, read only through the views that check the branch (docs/decisions.md, "Photos").
# A local folder by default; the S3 bucket above (under photos/) when S3_BUCKET is set.
PHOTOS_ROOT = Path(os.environ.get("STUDIO_PHOTOS_ROOT", BASE_DIR / "var" / "photos"))
if os.environ.get("S3_BUCKET"):
    _photos = {
        "BACKEND": _media["BACKEND"],
        "OPTIONS": {
            **_media["OPTIONS"],
            "bucket_name": os.environ.get("S3_PHOTOS_BUCKET") or os.environ["S3_BUCKET"],
            "location": "photos",
        },
    }
else:
    _photos = {
        "BACKEND": "selection.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PHOTOS_ROOT},
    }
STORAGES = {
    "default": _media,
    "photos": _photos,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# One uploaded photo at most this big (a 50-megapixel JPEG is about 25 MB).
STUDIO_PHOTO_MAX_BYTES = int(os.environ.get("STUDIO_PHOTO_MAX_BYTES", str(60 * 1024 * 1024)))
# The watermark on the couple's previews: the branch's SMS signature (the name customers
# know), else this name; drawn with this font (a CJK one, so Chinese names show).
STUDIO_NAME = os.environ.get("STUDIO_NAME", "Studio")
STUDIO_WATERMARK_FONT = os.environ.get(
    "STUDIO_WATERMARK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis when REDIS_URL is set, otherwise a broker kept in files so `make run`
# needs no server. Beat schedules live in the database (django-celery-beat).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_IGNORE_RESULT = True
if REDIS_URL:
    # CELERY_BROKER_URL may name another Redis (or RabbitMQ) for the queue alone.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    _broker_dir = BASE_DIR / "var" / "broker"
    for _sub in ("out", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
        # The broadcast queues (worker pings, remote control): kombu's default is ./control.
        "control_folder": str(_broker_dir / "control"),
    }
    CELERY_RESULT_BACKEND = None

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "studio.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions in Redis too: any web host of several can serve any request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# Logs: one line per event with the request's id (django-guid; also carried into the Celery
# tasks a request queues), as JSON with DEBUG off (LOG_JSON=0/1 overrides).
DJANGO_GUID = {
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        }
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if env_bool("LOG_JSON", not DEBUG) else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django_guid": {"level": "WARNING"},  # not a line per request about the id itself
    },
}

# Behind a proxy that terminates TLS (nginx, a load balancer): it says so in
# X-Forwarded-Proto. The health endpoint answers plain http for the balancer's probes.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Health (/health/, django-health-check): how old beat's heartbeat may be before the check
# fails; the heartbeat task is scheduled every 60 s (studio migration 0003).
HEALTH_BEAT_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_BEAT_MAX_AGE_SECONDS", "300"))

# Error reports to Sentry (or a Sentry-compatible service such as GlitchTip) when set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from django_guid.integrations import SentryIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
    DJANGO_GUID["INTEGRATIONS"].append(SentryIntegration())

# Studio rules that are the same for every branch; per-branch rules live on Branch.
STUDIO_REOPEN_WINDOW_HOURS = 3
# The couple's page (couple app): the address couples open from their SMS, how long a link
# works by default, and how the code sent by SMS and the wrong addresses are limited.
STUDIO_PUBLIC_URL = os.environ.get("STUDIO_PUBLIC_URL", "http://localhost:8000").rstrip("/")
STUDIO_COUPLE_LINK_DAYS = int(os.environ.get("STUDIO_COUPLE_LINK_DAYS", "90"))
STUDIO_COUPLE_PIN_MINUTES = 15
STUDIO_COUPLE_PIN_ATTEMPTS = 5
STUDIO_COUPLE_PIN_LOCK_MINUTES = 30
STUDIO_COUPLE_BAD_LINKS_PER_HOUR = 20
STUDIO_MIN_BOOKING_LEAD_DAYS = 7
# Where queued SMS / WeChat / e-mail / letters go: a class with send(message) (and, for
# exactly-once after a crash, look_up(message): followups.backends). The default writes them
# to the log; STUDIO_SMS_BACKEND names the SMS gateway's class, e.g.
# followups.alibaba.AlibabaSmsBackend.
STUDIO_MESSAGE_BACKEND = os.environ.get("STUDIO_MESSAGE_BACKEND", "followups.backends.LogBackend")
STUDIO_MESSAGE_BACKENDS = {
    channel: backend
    for channel, backend in {
        "sms": os.environ.get("STUDIO_SMS_BACKEND", ""),
        "wechat": os.environ.get("STUDIO_WECHAT_BACKEND", ""),
    }.items()
    if backend
}
# A message still `sending` after this many seconds was left by a dead worker: the gateway
# is asked whether it got it. Keep it far above the gateways' HTTP timeout.
STUDIO_MESSAGE_SENDING_TIMEOUT = int(os.environ.get("STUDIO_MESSAGE_SENDING_TIMEOUT", "300"))
# Alibaba Cloud SMS (Dysmsapi): the key pair from the environment only, under the names
# Alibaba's own tools read; the endpoint may name a region's (or a test's fake).
ALIBABA_SMS_ENDPOINT = os.environ.get("ALIBABA_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
ALIBABA_CLOUD_ACCESS_KEY_ID = os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
ALIBABA_CLOUD_ACCESS_KEY_SECRET = os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
ALIBABA_SMS_TIMEOUT = float(os.environ.get("ALIBABA_SMS_TIMEOUT", "10"))
# Tencent Cloud SMS (API 3.0): the key pair under the names Tencent's own tools read; the
# SDK app id is the chain's unless a branch's gateway names its own.
TENCENT_SMS_ENDPOINT = os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/")
TENCENTCLOUD_SECRET_ID = os.environ.get("TENCENTCLOUD_SECRET_ID", "")
TENCENTCLOUD_SECRET_KEY = os.environ.get("TENCENTCLOUD_SECRET_KEY", "")
TENCENT_SMS_SDK_APP_ID = os.environ.get("TENCENT_SMS_SDK_APP_ID", "")
TENCENT_SMS_REGION = os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_TIMEOUT = float(os.environ.get("TENCENT_SMS_TIMEOUT", "10"))
# WeChat Official Account template messages: the account's AppID and AppSecret.
WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
WECHAT_TIMEOUT = float(os.environ.get("WECHAT_TIMEOUT", "10"))
# The gateways' callbacks (delivery receipts, replies) are public URLs with a secret token
# each (followups.hooks); empty refuses them all. WECHAT_TOKEN is the Official Account's
# own "Token", which signs its calls.
ALIBABA_SMS_CALLBACK_TOKEN = os.environ.get("ALIBABA_SMS_CALLBACK_TOKEN", "")
TENCENT_SMS_CALLBACK_TOKEN = os.environ.get("TENCENT_SMS_CALLBACK_TOKEN", "")
WECHAT_CALLBACK_TOKEN = os.environ.get("WECHAT_CALLBACK_TOKEN", "")
WECHAT_TOKEN = os.environ.get("WECHAT_TOKEN", "")

# Throttled logins (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked for AXES_COOLOFF_MINUTES — on the login page and
# on a manager's password typed on another screen (studio.lockouts). A chain manager
# unlocks on the "Locked logins" page. AxesMiddleware goes last, as axes asks.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the user with their staff member in one query (studio.backends).
    "studio.backends.StaffBackend",
    # Sessions signed in before StaffBackend name ModelBackend: kept so that an upgrade
    # signs no one out (a wrong password is then checked by both; a lockout still counts
    # one failure per attempt).
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_CALLABLE = "studio.lockouts.lockout_response"
# Behind a proxy every login arrives from the proxy's address. With N proxies in front that
# each append to X-Forwarded-For (nginx in deploy/nginx: 1), set DJANGO_TRUSTED_PROXY_COUNT=N
# and logins are counted at the client's address; 0 ignores the header (anyone can send it).
STUDIO_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "studio.lockouts.client_address"
