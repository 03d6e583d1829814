"""PostgreSQL is the only engine: without DATABASE_URL the settings point at the embedded PostgreSQL that
`make run` starts; any other engine is refused at start-up with a message saying what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_DATABASE = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['HOST'])"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["DJANGO_SETTINGS_MODULE"] = "asn_portal.settings.local"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_without_database_url_the_settings_use_the_embedded_postgresql_of_make_run():
    result = run("-c", f"import django; django.setup(); {PRINT_DATABASE}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", str(ROOT / ".pgdata")]


def test_a_sqlite_database_url_is_refused_with_a_clear_message():
    result = run("manage.py", "check", DATABASE_URL="sqlite:////tmp/asn-portal.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr
