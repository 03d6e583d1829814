"""A plain Django project for `make bench`'s baseline: what `django-admin startproject` gives (its middleware,
its template settings, database sessions), the portal's apps only so the same 50 joined employee rows can be
rendered behind login. Everything a request passes through (middleware, URLconf, authentication backend,
logging) is Django's default. The portal's bare page (`/bench/bare/`, the portal's whole middleware stack) is compared
with this project's `/bare/` in the same run; the target is ≥ 85 %."""

from asn_portal.settings.base import *  # noqa: F403 - the apps' own settings (storages, Celery) load unchanged
from asn_portal.settings.base import BASE_DIR, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
ROOT_URLCONF = "bench.plain.urls"
WSGI_APPLICATION = "bench.plain.wsgi.application"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
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
            ]
        },
    }
]
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The portal's own backend: the session row carries the backend that logged the user in, and Django refuses a
# session whose backend is not configured (the user would be anonymous and /bare/ a redirect to the login page).
AUTHENTICATION_BACKENDS = ["people.auth.NipOrUsernameBackend"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
LOGIN_URL = "/akun/masuk/"
