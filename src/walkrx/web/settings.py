"""Django settings for walkrx, read from the environment.

``WALKRX_HOME`` is the folder that holds the embedded SQLite database, uploaded
files and the generated secret key (default ``~/.walkrx``). ``DATABASE_URL``
switches to PostgreSQL (``postgres://user:pass@host:5432/db``). In production
(``WALKRX_ENV=production``) a real ``WALKRX_SECRET_KEY`` and ``WALKRX_ALLOWED_HOSTS``
are required; example secrets are refused.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
WALKRX_HOME = Path(os.environ.get("WALKRX_HOME", Path.home() / ".walkrx")).expanduser().resolve()
WALKRX_ENV = os.environ.get("WALKRX_ENV", "development")
PRODUCTION = WALKRX_ENV == "production"

_EXAMPLE_SECRETS = {"", "change-me", "changeme", "secret", "example", "insecure"}


def _secret_key() -> str:
    key = os.environ.get("WALKRX_SECRET_KEY", "")
    if PRODUCTION:
        if key.lower() in _EXAMPLE_SECRETS or len(key) < 32:
            raise ImproperlyConfigured(
                "WALKRX_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (example secrets are refused)"
            )
        return key
    if key:
        return key
    WALKRX_HOME.mkdir(parents=True, exist_ok=True)
    path = WALKRX_HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("WALKRX_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "WALKRX_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("WALKRX_ALLOWED_HOSTS must name the host(s) in production")

INSTALLED_APPS = [
    "walkrx.web.accounts",  # before admin: its registration templates win
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "walkrx.web.walking",
    "walkrx.web.imports",
    "walkrx.web.learn",
    "walkrx.web.clinic",
    "walkrx.web.interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = WALKRX_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; collectstatic fills it
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = WALKRX_HOME / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "WALKRX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("WALKRX_FROM_EMAIL", "walkrx@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION

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
