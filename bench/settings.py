"""Production settings for the bench, with one difference: static files are served by WhiteNoise without
the manifest (the vendored chart.umd.min.js references a missing .map file, which makes the manifest
storage's collectstatic fail)."""

from asn_portal.settings.production import *  # noqa: F403
from asn_portal.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
