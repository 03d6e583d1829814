"""Portal Karier ASN project package: settings, URLs, Celery and the pieces every app shares."""

from .celery import app as celery_app

__all__ = ("celery_app",)
