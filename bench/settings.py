"""Production settings for the bench, with one difference: static files are served by WhiteNoise without
the manifest (the vendored chart.umd.min.js references a missing .map file, which makes the manifest
storage's collectstatic fail)."""

import os

from asn_portal.settings.production import *  # noqa: F403
from asn_portal.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}

# The access log's Redis list of this bench database (bench/run.py sets it; see people.access_log._keys).
ACCESS_LOG_REDIS_KEY = os.environ.get("ACCESS_LOG_REDIS_KEY", "")
