"""GASKEN settings. Everything that differs between machines comes from the environment
(or a `.env` file beside manage.py); see `.env.example` for the list."""

import ipaddress
import re
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name, default):
    # environ's own bool() turns any unknown word into False; a typo in DEBUG must
    # stop start-up instead of silently changing behaviour.
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}.")


def _int(name, default):
    raw = env.str(name, default=str(default)).strip()
    if not raw.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.")
    return int(raw)


# Core
DEBUG = _bool("DEBUG", False)
# Django's own deployment check asks for 50; one number for the code, README and .env.example.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set. Set it ({SECRET_KEY_MIN_LENGTH}+ random characters) "
            "or set DEBUG=true for a development machine."
        )
    SECRET_KEY = "development-only-secret-key-do-not-use-in-production"
elif len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH and not DEBUG:
    raise ImproperlyConfigured(
        f"SECRET_KEY is too short: use at least {SECRET_KEY_MIN_LENGTH} random characters."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty: list the host names the app answers to.")

# The address printed in QR codes and posters; it must be absolute and have no path. In
# production it also decides the Secure cookie flag, so it may not silently default.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")
if not PUBLIC_BASE_URL and DEBUG:
    PUBLIC_BASE_URL = "http://localhost:8000"
if not PUBLIC_BASE_URL:
    raise ImproperlyConfigured(
        "PUBLIC_BASE_URL is not set: give the public address, e.g. https://gasken.example.go.id."
    )
_public = urlsplit(PUBLIC_BASE_URL)
if _public.scheme not in ("http", "https") or not _public.netloc or _public.path:
    raise ImproperlyConfigured(
        f"PUBLIC_BASE_URL must look like https://gasken.example.go.id, got {PUBLIC_BASE_URL!r}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Trigram indexes for search on PostgreSQL; on SQLite the app only adds lookups.
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "csp",
    "registrations",
    "verification",
    "interventions",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gasken.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "gasken.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gasken.middleware.PublicPostRateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gasken.middleware.PasswordChangeRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gasken.urls"
WSGI_APPLICATION = "gasken.wsgi.application"

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
                "gasken.navigation.menu",
            ],
        },
    },
]

# Cache: shared by every app process (rate limits). The database cache needs
# `manage.py createcachetable`; redis://host:6379/0 uses Django's Redis backend.
try:
    CACHES = {"default": env.cache("CACHE_URL", default="dbcache://gasken_cache")}
except Exception as e:
    raise ImproperlyConfigured(f"CACHE_URL is not a valid cache URL: {e}") from e

# Database
try:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
except Exception as e:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {e}") from e
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
# Reusing a connection saves 6-12 ms a request in production; development keeps it simple.
DATABASES["default"]["CONN_MAX_AGE"] = _int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] > 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler took ~3 s per recap query over 100,000 children (their
    # correlated subqueries look costly to the planner) and saved nothing on running them.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Clients and abuse. TRUSTED_PROXIES: the proxies (CIDR) whose X-Forwarded-For is believed.
try:
    TRUSTED_PROXIES = [
        ipaddress.ip_network(value, strict=False)
        for value in env.list("TRUSTED_PROXIES", default=[])
    ]
except ValueError as e:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must be IP addresses or CIDR ranges: {e}") from e


def _rate(name, default):
    """A rate such as 30/10m (30 requests per 10 minutes) as (30, 600); "off" as None."""
    raw = env.str(name, default=default).strip().lower()
    if raw == "off":
        return None
    match = re.fullmatch(r"([1-9][0-9]*)/([1-9][0-9]*)?([smh])", raw)
    if not match:
        raise ImproperlyConfigured(
            f"{name} must look like 30/10m (requests per seconds s, minutes m or hours h) "
            f"or off, got {raw!r}."
        )
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * {"s": 1, "m": 60, "h": 3600}[unit]


# The kader forms (report and correction) per client address: enough for a busy posyandu
# behind one mobile network address.
RATE_LIMIT_PUBLIC_POSTS = _rate("RATE_LIMIT_PUBLIC_POSTS", "30/10m")
# "Lupa sandi" requests per client address, and as many per e-mail address.
RATE_LIMIT_PASSWORD_RESET = _rate("RATE_LIMIT_PASSWORD_RESET", "5/1h")

# Passwords and login
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"

# A partner reads a child while an assignment is open, and this many days after finishing it.
PARTNER_ACCESS_AFTER_FINISH_DAYS = _int("PARTNER_ACCESS_AFTER_FINISH_DAYS", 90)

# Lockout after failed logins (staff login and admin login), by django-axes. Counted per
# username *and* client address: a kecamatan office or posyandu behind one address is not
# locked out by one colleague's typos, and nobody elsewhere can lock a real account out by
# guessing its name. Attempts are rows in the database (axes' database handler), shared by
# every app process; an admin unlocks by deleting them under Axes → Access attempts.
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT must be 1 or more.")
AXES_COOLOFF_TIME = timedelta(minutes=_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
# The lock ends when the page says it does, even if the user tries again meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "gasken.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "gasken.views.locked_out"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# "Lupa sandi" links stay valid this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60

# E-mail. EMAIL_URL such as smtp+tls://user:password@smtp.example.go.id:587; without it a
# development machine prints every mail on the console and production sends none (then the
# login page tells users to ask the kecamatan admin instead of offering "Lupa sandi?").
_email_url = env.str("EMAIL_URL", default="") or ("consolemail://" if DEBUG else "")
EMAIL_ENABLED = bool(_email_url)
if EMAIL_ENABLED:
    try:
        _email = environ.Env.email_url_config(_email_url)
    except (ImproperlyConfigured, ValueError) as e:
        raise ImproperlyConfigured(
            f"EMAIL_URL must look like smtp+tls://user:password@host:587: {e}"
        ) from e
    if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") and not _email["EMAIL_HOST"]:
        raise ImproperlyConfigured("EMAIL_URL names no mail server host.")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = _email["EMAIL_PORT"] or 25
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Mail is sent while a request waits: a mail server that does not answer must not hang it.
EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"GASKEN <noreply@{_public.hostname}>")
if "@" not in parseaddr(DEFAULT_FROM_EMAIL)[1]:
    raise ImproperlyConfigured(
        f"DEFAULT_FROM_EMAIL must be an address such as GASKEN <noreply@example.go.id>, "
        f"got {DEFAULT_FROM_EMAIL!r}."
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Language and time
LANGUAGE_CODE = "id"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# Static files, served by WhiteNoise so the app needs no other web server
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_MANIFEST_STRICT = False

# Storage. Uploaded documents hold family-card and birth-certificate images: they live in
# private storage that no URL serves; staff reach them only through views that check
# access. Local disk by default; S3-compatible object storage when a bucket is named.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3_keys = [env.str(n, default="") for n in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")]
    if any(_s3_keys) and not all(_s3_keys):
        raise ImproperlyConfigured(
            "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither."
        )
    _s3_style = env.str("AWS_S3_ADDRESSING_STYLE", default="auto")
    if _s3_style not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured(
            f"AWS_S3_ADDRESSING_STYLE must be auto, path or virtual, got {_s3_style!r}."
        )
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # Without keys boto3 finds credentials itself (instance role, ~/.aws).
            "access_key": _s3_keys[0] or None,
            "secret_key": _s3_keys[1] or None,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "addressing_style": _s3_style,
            "signature_version": "s3v4",
            # Objects get no ACL of their own: the bucket stays private. Files are streamed
            # by the permission-checked views; a signed URL, if ever made, lasts 5 minutes.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # A document being streamed is held in memory up to 2 MB, beyond that on disk.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Documents are readable by the app's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Files of rejected reports are deleted this many days after the rejection (purge_rejected).
PURGE_REJECTED_AFTER_DAYS = _int("PURGE_REJECTED_AFTER_DAYS", 90)
MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Two 10 MB files plus the form must fit; anything larger is refused by the form, not here.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _public.scheme == "https" and not DEBUG
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", False)
# Content Security Policy (django-csp) on every response: only this site's own scripts,
# styles and images, nothing inline, no framing, forms post only here. blob: images are the
# previews of photos the kader picks on the phone; data: images are small icons in CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Staff sessions open children's records: a working day, not the default two weeks.
SESSION_COOKIE_AGE = 12 * 60 * 60

# Logging: errors to the console, where the process manager collects them
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
