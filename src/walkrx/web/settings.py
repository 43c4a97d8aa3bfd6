"""Django settings for walkrx, read from the environment.

``WALKRX_HOME`` is the folder that holds the embedded SQLite database, uploaded
files and the generated secret key (default ``~/.walkrx``), created private
(0700; files 0600). ``DATABASE_URL`` switches to PostgreSQL
(``postgres://user:pass@host:5432/db``). In production (``WALKRX_ENV=production``)
a strong ``WALKRX_SECRET_KEY`` and ``WALKRX_ALLOWED_HOSTS`` are required, DEBUG is
refused, and HTTPS is enforced (HSTS, secure cookies, redirect) unless
``WALKRX_LOCAL_HTTP=1`` on a loopback-only host list (the demo). Every setting is
listed in ``docs/web.md``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from walkrx.web.security import private_dir, private_file, weak_secret_reason

# Files walkrx creates (database, uploads, secret key) are the owner's alone.
os.umask(0o077)

BASE_DIR = Path(__file__).resolve().parent
WALKRX_HOME = Path(os.environ.get("WALKRX_HOME", Path.home() / ".walkrx")).expanduser().resolve()
WALKRX_ENV = os.environ.get("WALKRX_ENV", "development")
PRODUCTION = WALKRX_ENV == "production"
private_dir(WALKRX_HOME)

_EXAMPLE_SECRETS = {"", "change-me", "changeme", "secret", "example", "insecure"}


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def _secret_key() -> str:
    key = os.environ.get("WALKRX_SECRET_KEY", "")
    if PRODUCTION:
        reason = "it is an example value" if key.lower() in _EXAMPLE_SECRETS else None
        reason = reason or weak_secret_reason(key)
        if reason:
            raise ImproperlyConfigured(
                f"WALKRX_SECRET_KEY is refused in production: {reason}. Generate one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return key
    if key:
        return key
    import secrets

    path = WALKRX_HOME / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    private_file(path)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
if PRODUCTION and _flag("WALKRX_DEBUG"):
    raise ImproperlyConfigured(
        "WALKRX_DEBUG=1 is refused in production: debug pages show code, settings and data"
    )
DEBUG = False if PRODUCTION else _flag("WALKRX_DEBUG", default=True)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "WALKRX_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("WALKRX_ALLOWED_HOSTS must name the host(s) in production")

# Plain HTTP is allowed in production only for a loopback-only host list (the demo:
# production settings on http://127.0.0.1). Anything reachable from elsewhere gets HTTPS.
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_HTTP = _flag("WALKRX_LOCAL_HTTP")
if PRODUCTION and LOCAL_HTTP and not set(ALLOWED_HOSTS) <= _LOOPBACK:
    raise ImproperlyConfigured(
        "WALKRX_LOCAL_HTTP=1 (plain http) is only allowed when WALKRX_ALLOWED_HOSTS names "
        "loopback hosts only (127.0.0.1, localhost, ::1)"
    )
HTTPS = PRODUCTION and not LOCAL_HTTP

INSTALLED_APPS = [
    "walkrx.web.accounts",  # before admin: its registration templates win
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "walkrx.web.walking",
    "walkrx.web.imports",
    "walkrx.web.learn",
    "walkrx.web.clinic",
    "walkrx.web.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "walkrx.web.security.UploadSizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "walkrx.web.security.NoStoreWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "walkrx.web.urls"
WSGI_APPLICATION = "walkrx.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "walkrx.web.walking.context.safety_contacts",
            ],
        },
    },
]

_default_db = f"sqlite:///{WALKRX_HOME / 'walkrx.sqlite3'}"
# Persistent connections (seconds; 0 = one connection per request): a new PostgreSQL
# connection per request costs more than the walker's whole progress page.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        conn_max_age=int(os.environ.get("WALKRX_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
WALKRX_DB_SERVER_BINDING = _flag("WALKRX_DB_SERVER_BINDING", default=True)  # PostgreSQL only
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # tests: a file, so that the import worker (another process) sees the test database
    DATABASES["default"]["TEST"] = {"NAME": str(WALKRX_HOME / "test-walkrx.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and WALKRX_DB_SERVER_BINDING:
    # Server-side parameter binding: psycopg then prepares the statements every page
    # repeats (session, user, the walker with its page's fingerprint) once per connection
    # (after 5 runs; Django's default is never), and PostgreSQL stops planning them on each
    # request (0.74 -> 0.36 ms of database CPU for the walker with its fingerprint:
    # scripts/bench_page_cpu.py --postgres). Turn it off
    # (WALKRX_DB_SERVER_BINDING=0) behind a pooler in transaction mode (PgBouncer), which
    # cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. `walkrx serve` runs several web processes, so anything that must be the same
# in all of them (the API's request counts per token) lives in "default", a folder of
# files every process shares. "pages" holds rendered page bodies (today, progress,
# caseload) in each process's memory: their keys are fingerprints read from the database
# on every request, so a change written by any process is seen by all at once.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(private_dir(WALKRX_HOME / "cache")),
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "walkrx-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Background imports (walking.jobs): django-tasks with its database backend, run by
# `walkrx worker` (started by `walkrx serve`); each job in a child process with limits.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["uploads"]}}
WALKRX_JOB_CONCURRENCY = int(os.environ.get("WALKRX_JOB_CONCURRENCY", "1"))
if WALKRX_JOB_CONCURRENCY not in (1, 2):
    raise ImproperlyConfigured("WALKRX_JOB_CONCURRENCY must be 1 or 2")
WALKRX_JOB_QUEUE_MAX = int(os.environ.get("WALKRX_JOB_QUEUE_MAX", "20"))
WALKRX_JOB_QUEUE_PER_WALKER = int(os.environ.get("WALKRX_JOB_QUEUE_PER_WALKER", "3"))
WALKRX_JOB_MEMORY_MB = int(os.environ.get("WALKRX_JOB_MEMORY_MB", "2048"))
WALKRX_JOB_TIMEOUT_S = int(os.environ.get("WALKRX_JOB_TIMEOUT_S", "1800"))
# A running job whose worker sent no heartbeat for this long is failed ("interrupted").
WALKRX_JOB_STALE_S = int(os.environ.get("WALKRX_JOB_STALE_S", "60"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    private_file(Path(DATABASES["default"]["NAME"]))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling, before the real backend
    # Django's ModelBackend, with the per-request user lookup precompiled (accounts.backends)
    "walkrx.web.accounts.backends.UserBackend",
]
SESSION_ENGINE = "walkrx.web.accounts.sessions"  # Django's database sessions, read faster
# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is locked out for the cool-off time (a correct password included).
AXES_FAILURE_LIMIT = int(os.environ.get("WALKRX_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("WALKRX_LOGIN_COOLOFF_MIN", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = WALKRX_HOME / "static"
private_dir(STATIC_ROOT)  # WhiteNoise expects it; collectstatic fills it
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("WALKRX_MEDIA_ROOT", WALKRX_HOME / "files")).resolve()
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Largest request body (an upload) accepted; larger ones get the 413 page unread.
WALKRX_MAX_UPLOAD_MB = int(os.environ.get("WALKRX_MAX_UPLOAD_MB", "1024"))
WALKRX_MAX_UPLOAD_BYTES = WALKRX_MAX_UPLOAD_MB * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "WALKRX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("WALKRX_FROM_EMAIL", "walkrx@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and _flag("WALKRX_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("WALKRX_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The address of a TLS-terminating reverse proxy whose X-Forwarded-For/-Proto `walkrx serve`
# trusts (the client's address then reaches login throttling; https is recognised).
WALKRX_TRUSTED_PROXY = os.environ.get("WALKRX_TRUSTED_PROXY", "")

# Content-Security-Policy: scripts and styles from walkrx's own static files only
# (no inline script, no inline style), nothing framed, forms post to walkrx only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Permissions-Policy: walkrx uses no device features; none may be asked for.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
}

# Who to call: set by the deployment, shown on every advice and safety screen.
WALKRX_EMERGENCY_NUMBER = os.environ.get("WALKRX_EMERGENCY_NUMBER", "your local emergency number")
WALKRX_URGENT_NUMBER = os.environ.get(
    "WALKRX_URGENT_NUMBER", "your doctor or an urgent-care service"
)
WALKRX_CLINIC_CONTACT = os.environ.get("WALKRX_CLINIC_CONTACT", "your physiotherapist or doctor")

# JSON API: requests per token and period (e.g. "120/m", "1000/h"); over it, 429.
WALKRX_API_RATE = os.environ.get("WALKRX_API_RATE", "120/m")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WALKRX_LOG_LEVEL", "WARNING")},
}
