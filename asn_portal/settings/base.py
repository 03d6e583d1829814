"""Settings shared by every environment. Everything that differs per deployment is read from the
environment once, here (12-factor); see the configuration table in README.md."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "asn_portal.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "django_celery_beat",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    # Project apps, bottom layer first (style.md §1).
    "asn_portal",
    "people",
    "competencies",
    "performance",
    "training",
    "careers",
    "promotions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "asn_portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "asn_portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "asn_portal.middleware.BadInputMiddleware",
    "asn_portal.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "people.access_log.AccessLogMiddleware",
]

ROOT_URLCONF = "asn_portal.urls"
WSGI_APPLICATION = "asn_portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "asn_portal.context_processors.shell",
            ],
            # A cheaper `{% url %}` for every template (same output; see the module).
            "builtins": ["asn_portal.templatetags.portal_builtins"],
        },
    },
]

# PostgreSQL is the only supported engine. Without DATABASE_URL: the embedded PostgreSQL that `make run`
# starts (scripts/run_portal.py), database asn_portal on its Unix socket in .pgdata/.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "asn_portal",
            "USER": "postgres",
            "HOST": str(BASE_DIR / ".pgdata"),
        }
    }
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL (postgres://user@host:5432/name); "
        "other engines are not supported. Unset it to use the embedded PostgreSQL of `make run`."
    )
# Persistent connections: without them a page pays a new PostgreSQL connection per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Read replica (docs/scaling.md): a hot standby of `default`. Only report reads that opt in
# (asn_portal.dbrouter.using_replica) go there; without the setting nothing is routed and no middleware added.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=5)
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the alias reads the test database
    DATABASE_ROUTERS = ["asn_portal.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "asn_portal.dbrouter.ReplicaPinMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "people.auth.NipOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Failures count per account, not per spelling: NIP with or without spaces, username in any case.
AXES_USERNAME_CALLABLE = "people.auth.axes_username"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates read "30 Nov 2026" / "30/11/2026" in both languages (asn_portal/formats), not Django's "d-m-Y"/"m/d/Y".
FORMAT_MODULE_PATH = ["asn_portal.formats"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Uploaded evidence, certificates and proposal documents: no URL, served only by download views.
    "private": {"BACKEND": "asn_portal.uploads.PrivateStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private"))
# Set to the internal nginx location (e.g. "/_private/") to let nginx send the bytes (X-Accel-Redirect).
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
MAX_DOCUMENT_BYTES = env.int("MAX_DOCUMENT_BYTES", default=5 * 1024 * 1024)
MAX_IMPORT_BYTES = env.int("MAX_IMPORT_BYTES", default=20 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's widget HTML built in Python for inputs, selects and textareas (same output; see the module).
FORM_RENDERER = "asn_portal.forms_renderer.FastWidgetRenderer"

# Email: console in development; SMTP when EMAIL_URL is set (e.g. smtp+tls://user:pw@host:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portal Karier ASN <noreply@portal-asn.local>")

# Celery: unset broker = tasks run eagerly in-process (the embedded default needs no Redis).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker of `make run` when Redis does not answer: messages are files in one folder
    # shared by the web process, the worker and beat on this machine.
    _BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / ".broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(_BROKER_FOLDER / "messages"),
        "data_folder_out": str(_BROKER_FOLDER / "messages"),
        "control_folder": str(_BROKER_FOLDER / "control"),
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies (kill -9, OOM) goes back to the queue instead of being acknowledged as failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis redelivers an unacknowledged message after this many seconds: just above the longest job (the
# hard time limit), instead of the default hour.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60)
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # look for messages of dead workers every 10 s (kombu's default is about every 100 s)
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
# A JobRun still "running" this long after it started belongs to a dead worker: the sweep marks it failed.
JOB_RUN_STALE_SECONDS = CELERY_TASK_TIME_LIMIT + 60
# Fanned-out nightly jobs (asn_portal.fanout): employees per part, so several workers share an agency's work.
JOB_PART_SIZE = env.int("JOB_PART_SIZE", default=5000)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "asn_portal.beat:OutboxScheduler"
CELERY_TIMEZONE = TIME_ZONE
REDIS_URL = env("REDIS_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Personal API tokens first, so an API call without credentials is a 401 (WWW-Authenticate: Token).
        "asn_portal.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "asn_portal.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "asn_portal.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "asn_portal.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
# Personal API tokens (django-rest-knox, model asn_portal.ApiToken): stored as SHA-512 digests, sent as
# `Authorization: Token <token>`, always with an expiry (API_TOKEN_EXPIRY_DAYS are the choices offered).
KNOX_TOKEN_MODEL = "asn_portal.ApiToken"
REST_KNOX = {"TOKEN_MODEL": "asn_portal.ApiToken", "TOKEN_TTL": timedelta(days=30), "AUTH_HEADER_PREFIX": "Token"}
API_TOKEN_EXPIRY_DAYS = [30, 90, 365]
# knox's own migrations create its default `knox_authtoken` table even when the model is swapped for ours;
# that orphan table would reference users and break `flush` (test databases). Our migration creates ours.
MIGRATION_MODULES = {"knox": None}
API_TOKEN_LIMIT_PER_USER = env.int("API_TOKEN_LIMIT_PER_USER", default=10)

SPECTACULAR_SETTINGS = {
    "TITLE": "Portal Karier ASN API",
    "DESCRIPTION": "API manajemen karier ASN: pegawai, kompetensi, SKP, pelatihan, karier dan kenaikan pangkat.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "asn_portal.api.document_error_responses",
    ],
    # Stable enum names for shared choice sets (several models have a "kind"/"status" field).
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "people.choices.UnitKind",
        "PositionTypeEnum": "people.choices.PositionType",
        "EmployeeStatusEnum": "people.choices.EmployeeStatus",
        "EmploymentTypeEnum": "people.choices.EmploymentType",
        "FunctionalLevelEnum": "people.choices.FunctionalLevel",
        "ActingKindEnum": "people.choices.ActingKind",
        "SessionKindEnum": "careers.choices.SessionKind",
        "ActionItemStatusEnum": "careers.choices.ItemStatus",
        "OfferingStatusEnum": "training.choices.OfferingStatus",
        "ImportKindEnum": "people.choices.ImportKind",
        "ImportStatusEnum": "people.choices.ImportStatus",
        "CareerPlanStatusEnum": "careers.choices.PlanStatus",
        "PerformancePlanStatusEnum": "performance.choices.PlanStatus",
    },
}

# Content-Security-Policy: no inline scripts; page data goes through json_script (type=application/json).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"short_db_outage": {"()": "asn_portal.logfilters.ShortDatabaseOutage"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["short_db_outage"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Bench-only baseline views (bench/urls.py), mounted only when BENCH_VIEWS=1 (bench/run.py sets it).
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)

# Domain defaults (seeded as editable data elsewhere; these are deployment knobs only).
PORTAL_NAME = "Portal Karier ASN"
# UU PDP 27/2022 (issue #16, docs/privacy.md): how long an employee's copy of their data stays downloadable,
# and after how many days a former employee's personal fields are pseudonymised (5 years: see people/lifecycle.py).
DATA_EXPORT_TTL_HOURS = env.int("DATA_EXPORT_TTL_HOURS", default=72)
PSEUDONYMISE_AFTER_DAYS = env.int("PSEUDONYMISE_AFTER_DAYS", default=1826)

# /healthz: anonymous callers get status words; details (error texts, timings) go to superusers and to a
# monitor sending `Authorization: Bearer <HEALTHZ_TOKEN>` (empty = no token accepted). The Celery worker
# ping (up to 1 s) is cached per web process for HEALTHZ_CELERY_CACHE_SECONDS (0 = ping on every call).
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
HEALTHZ_CELERY_CACHE_SECONDS = env.int("HEALTHZ_CELERY_CACHE_SECONDS", default=10)

# OpenAPI schema and interactive docs (/api/schema/, /api/docs/, /api/redoc/): public in development;
# production.py makes them sign-in only unless API_DOCS_PUBLIC=1 (see docs/security.md).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)

# Permissions-Policy on every response: the portal uses no camera, microphone, location, payment or USB.
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    default="camera=(), microphone=(), geolocation=(), payment=(), usb=()",
)

# Who saw my record (issue #16, UU PDP): docs/privacy-exposure.md. Two years by default: an employee may object
# to a decision (SKP, promotion) and an inspection (Inspektorat/BKN audit) looks back over two appraisal years.
ACCESS_LOG_ENABLED = env.bool("ACCESS_LOG_ENABLED", default=True)
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=730)
ACCESS_LOG_REDIS_URL = env("ACCESS_LOG_REDIS_URL", default=REDIS_URL)
ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD = env.int("ACCESS_LOG_OUTSIDE_UNIT_THRESHOLD", default=20)
ACCESS_LOG_OFFICE_HOURS = tuple(env.list("ACCESS_LOG_OFFICE_HOURS", cast=int, default=[7, 18]))
ACCESS_LOG_REPORT_MAX_DAYS = 92
