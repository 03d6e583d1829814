"""WSGI entry point of the plain baseline project (bench/run.py serves it with gunicorn beside the portal)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.plain.settings")
application = get_wsgi_application()
