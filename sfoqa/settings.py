"""
Settings for SFO QA. Every deploy-time value comes from the environment; the
README lists each variable. Nothing here depends on which machine it runs on.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# A missing key is a start-up failure outside development, never a silent default.
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "django-insecure-development-only-key" if DEBUG else None
)
if SECRET_KEY is None:
    raise environ.ImproperlyConfigured(
        "Set SECRET_KEY (or DEBUG=true for development)."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "simple_history",
    "sfoqa",
    "accounts",
    "reviews",
    "ratings",
    "panels",
    "consultations",
    "reports",
    # Reads every app above; nothing imports from it but the URLs.
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sfoqa.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sfoqa.middleware.CSPMiddleware",
    "accounts.access.AccessPolicyMiddleware",
    "sfoqa.middleware.NoStoreForSignedInMiddleware",
    # Axes must come last: it turns its lockout signal into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sfoqa.urls"
WSGI_APPLICATION = "sfoqa.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.shell",
            ],
            # Dates, times and numbers in GOV.UK style on every page.
            "builtins": ["sfoqa.templatetags.govuk"],
        },
    },
]

# Database: a SQLite file under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sfoqa.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements a connection runs again and again are prepared once: see
    # sfoqa/prepared.py. 0 turns it off (for a transaction-pooling proxy).
    from sfoqa import prepared

    DATABASES["default"]["OPTIONS"] = {
        **prepared.options(env.int("DATABASE_PREPARE_THRESHOLD", default=3)),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and sign-in.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
_validators = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_validators}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_validators}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": f"{_validators}.CommonPasswordValidator"},
    {"NAME": f"{_validators}.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "SFO quality assurance"
# Nobody, administrators included, sees another user's authenticator secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lockout: 5 failures per account in 15 minutes (django-axes), and a cap per
# IP address across all accounts, higher because offices share addresses.
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
SIGN_IN_IP_FAILURE_LIMIT = env.int("SIGN_IN_IP_FAILURE_LIMIT", default=50)
# Axes warns that it does not lock by address; the sign-in view's own cap
# per address (above, counted from axes' failure log) does that. Django warns
# that SQLite makes the review list's covering indexes without their extra
# columns: they are for PostgreSQL, where the service runs; on SQLite the
# same indexes, keys only, still serve the list.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]

# Sessions: idle timeout (renewed by every request) and an absolute limit.
SESSION_ENGINE = "accounts.sessions"
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_HOURS", default=10) * 3600
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=120)
# The warning opens SESSION_WARNING_SECONDS before the idle limit: it needs a
# minute of quiet after each page first, or it would open on every page.
SESSION_QUIET_SECONDS = 60
if SESSION_WARNING_SECONDS <= 0:
    raise environ.ImproperlyConfigured(
        f"SESSION_WARNING_SECONDS is {SESSION_WARNING_SECONDS}: it must be more "
        "than 0, so people are warned before they are signed out."
    )
if SESSION_IDLE_SECONDS - SESSION_WARNING_SECONDS < SESSION_QUIET_SECONDS:
    raise environ.ImproperlyConfigured(
        f"SESSION_WARNING_SECONDS is {SESSION_WARNING_SECONDS} and the idle "
        f"limit (SESSION_IDLE_MINUTES) is {SESSION_IDLE_SECONDS} seconds: the "
        "warning must open at least a minute after a page loads, so make the "
        "idle limit at least 60 seconds longer than the warning."
    )
if SESSION_ABSOLUTE_SECONDS < SESSION_IDLE_SECONDS:
    raise environ.ImproperlyConfigured(
        "SESSION_ABSOLUTE_HOURS must be at least the idle limit (SESSION_IDLE_MINUTES)."
    )
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
# Renewed at most once a minute by accounts.middleware, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Transport and headers. Secure cookies and HSTS are on outside development.
SECURE = env.bool("SECURE", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page needs a device or browser feature: deny them all, to this origin too.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth",
        "browsing-topics", "camera", "clipboard-read", "display-capture",
        "encrypted-media", "fullscreen", "gamepad", "geolocation", "gyroscope",
        "hid", "identity-credentials-get", "idle-detection", "local-fonts",
        "magnetometer", "microphone", "midi", "otp-credentials", "payment",
        "picture-in-picture", "publickey-credentials-create",
        "publickey-credentials-get", "screen-wake-lock", "serial",
        "storage-access", "usb", "web-share", "window-management",
        "xr-spatial-tracking",
    )
}  # fmt: skip
CSRF_FAILURE_VIEW = "sfoqa.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Only the rating forms frame anything: the review document beside them.
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

# Background tasks: Celery on Redis, or in-process when REDIS_URL is unset.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Tasks record what they did in the database. With no result store a send
# touches only the broker, and a result store outage cannot stall a request.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT_SECONDS", default=900)
# A task gets a minute's warning (the soft limit) before it is stopped.
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
if CELERY_TASK_SOFT_TIME_LIMIT <= 0:
    raise environ.ImproperlyConfigured(
        f"TASK_TIME_LIMIT_SECONDS is {CELERY_TASK_TIME_LIMIT}: it must be more "
        "than 60, because tasks are warned a minute before the limit."
    )
# A running report job renews its lease three times in this period; one whose
# lease ran out lost its worker, and the sweeper (every minute) sends it
# again: within two minutes of the worker's death.
REPORT_JOB_LEASE_SECONDS = env.int("REPORT_JOB_LEASE_SECONDS", default=60)
# A request waits a second or two at most for the broker (a closed port
# answers at once, a hung one times out); what was not sent is left for the
# sweeper. A task whose worker died is handed out again after
# visibility_timeout: just over the longest job, not Redis's default hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 120,
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TIMEZONE = "UTC"
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.1,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# Several beats may be started (one per instance): one holds a Redis lock
# and sends the schedule, the others wait; a dead one's lock lapses after
# this many seconds (sfoqa/celery.py).
BEAT_LOCK_SECONDS = env.int("BEAT_LOCK_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "sweep-report-jobs": {"task": "reports.sweep", "schedule": timedelta(minutes=1)},
    # Documents whose scan task was lost or gave up: scanned again.
    "rescan-documents": {
        "task": "reviews.rescan_documents",
        "schedule": timedelta(minutes=5),
    },
    "purge-ended-sessions": {
        "task": "accounts.purge_ended_sessions",
        "schedule": timedelta(hours=1),
    },
    "consultation-retention": {
        "task": "consultations.apply_retention",
        "schedule": timedelta(days=1),
    },
    "report-file-retention": {
        "task": "reports.expire_files",
        "schedule": timedelta(days=1),
    },
    # Each sends at most one email per person per week, however often it runs.
    "panel-action-reminders": {
        "task": "panels.send_action_reminders",
        "schedule": timedelta(hours=6),
    },
    "learning-digests": {
        "task": "panels.send_learning_digests",
        "schedule": timedelta(hours=6),
    },
    "panel-impact-checks": {
        "task": "panels.ask_impact_checks",
        "schedule": timedelta(hours=6),
    },
}

# The cache: Redis through django-redis, which logs a Redis outage and
# carries on as if the cache were empty, so pages are served uncached. With
# no Redis, a database table that every process shares (migrate creates it).
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sfoqa_cache",
        }
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Email: the console unless EMAIL_URL says otherwise.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="sfo.qa@justiceinspectorates.gov.uk"
)
SERVICE_CONTACT_EMAIL = env.str(
    "SERVICE_CONTACT_EMAIL", default="sfo.qa@justiceinspectorates.gov.uk"
)

# GOV.UK Notify: with an API key, every email goes through Notify, one
# template per kind of email, its id in NOTIFY_TEMPLATE_<KIND> (the kinds
# are listed in accounts/notify.py; a missing one fails the start-up check).
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str(
    "NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk"
)
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", default=10)
NOTIFY_TEMPLATES = {
    name.removeprefix("NOTIFY_TEMPLATE_").lower(): value
    for name, value in os.environ.items()
    if name.startswith("NOTIFY_TEMPLATE_") and value
}

# Staff single sign-on (OpenID Connect, e.g. Microsoft Entra ID): on when a
# client id is set. Endpoints come from OIDC_OP_DISCOVERY_URL, or each one
# from its own setting. Only Inspectorate staff may use it.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_DISCOVERY_URL = env.str("OIDC_OP_DISCOVERY_URL", default="")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = ""  # the id_token's claims are enough
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:staff_sign_in_callback"
OIDC_CREATE_USER = False
_oidc_endpoints = all(
    (OIDC_OP_ISSUER, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT)
) and bool(OIDC_OP_JWKS_ENDPOINT)
if OIDC_RP_CLIENT_ID and not (
    OIDC_RP_CLIENT_SECRET and (OIDC_OP_DISCOVERY_URL or _oidc_endpoints)
):
    raise environ.ImproperlyConfigured(
        "OIDC_RP_CLIENT_ID needs OIDC_RP_CLIENT_SECRET and either "
        "OIDC_OP_DISCOVERY_URL or OIDC_OP_ISSUER and the three OIDC_OP_*_ENDPOINTs"
    )

# Files. Uploaded documents live in a private folder that no static server
# sees, or in S3-compatible storage; either way only through Django's
# storage API and a permission-checked view.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No URL serves this prefix: files go out through permission-checked views.
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
S3_BUCKET = env.str("S3_BUCKET", default="")
# Every upload asks for server-side encryption: S3's own keys (AES256), or
# a KMS key when S3_KMS_KEY_ID names one.
S3_KMS_KEY_ID = env.str("S3_KMS_KEY_ID", default="")
S3_OBJECT_PARAMETERS = (
    {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": S3_KMS_KEY_ID}
    if S3_KMS_KEY_ID
    else {"ServerSideEncryption": "AES256"}
)
_default_storage = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "default_acl": "private",
            "object_parameters": S3_OBJECT_PARAMETERS,
            # Files go out through permission-checked views, never a URL
            # of the bucket's; any URL made would be signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
    if S3_BUCKET
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
# A Word document is a zip: all its parts together may expand to this much.
UPLOAD_DOCX_MAX_EXPANDED_BYTES = (
    env.int("UPLOAD_DOCX_MAX_EXPANDED_MB", default=100) * 1024 * 1024
)
# Virus scanning: ClamAV's clamd on a Unix socket or TCP; none when unset.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT_SECONDS", default=30.0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Django refuses a request with more files than this outright (a bare 400);
# forms set their own, lower limits and say so (a bulk upload takes 100).
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

# Consultations: how long respondents' personal details are kept after a
# consultation closes, and how many online responses one address may send
# in an hour (offices share addresses, so not too few).
CONSULTATION_RETENTION_MONTHS = env.int("CONSULTATION_RETENTION_MONTHS", default=24)
CONSULTATION_RESPONSES_PER_HOUR = env.int("CONSULTATION_RESPONSES_PER_HOUR", default=20)

# Report files (exports holding personal data, report PDFs) are deleted this
# many days after they were made; published QA reports and annual reports
# stay. 30 is a sensible default, not a confirmed retention rule: set it from
# the Inspectorate's retention schedule.
REPORT_FILE_RETENTION_DAYS = env.int("REPORT_FILE_RETENTION_DAYS", default=30)

# Learning panels: how many days after a panel closes its members can still
# open its papers (Inspectorate staff always can).
PANEL_PAPERS_VISIBLE_DAYS = env.int("PANEL_PAPERS_VISIBLE_DAYS", default=30)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The intake API for HMPPS systems: tokens only (never the session), JSON
# only, and a per-user rate limit.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {
        "reviews_api": env.str("API_RATE_LIMIT", default="60/minute")
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SFO quality assurance intake API",
    "DESCRIPTION": "Send SFO reviews to HM Inspectorate of Probation and follow "
    "their status. Authenticate with 'Authorization: Token <key>'.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Forms.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Language and time: stored in UTC, shown in UK time.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True
# UK date formats for Django's own output, the admin site included.
FORMAT_MODULE_PATH = ["sfoqa.formats"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
if not REDIS_URL:
    # Tasks run in-process: one line per task would drown the console.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
