"""Health check, Content-Security-Policy and the production deployment check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.people.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_is_green_with_the_database_up():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_names_redis_when_it_is_down():
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]


@override_settings(REDIS_URL="redis://127.0.0.1:6379/0")
def test_healthz_checks_a_live_redis():
    response = Client().get("/healthz")
    assert response.json()["checks"]["redis"]["status"] == "ok"


def test_pages_carry_a_csp_without_inline_scripts():
    emp = EmployeeFactory()
    client = Client()
    client.force_login(emp.user)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert b"<script>" not in response.content  # no inline script blocks at all


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asn_portal.settings.production",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "production-secret-value-for-the-deploy-check-0123456789",
        "DATABASE_URL": "postgres://portal@db.example.go.id:5432/asn_portal",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "portal.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "asn_portal.settings.production",
            "DATABASE_URL": "postgres://portal@db.example.go.id:5432/asn_portal",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "ALLOWED_HOSTS": "x",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_collectstatic_works_with_the_production_manifest_storage(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asn_portal.settings.production",
        "SECRET_KEY": "s" * 20 + "production-secret-value-for-collectstatic-0123456789",
        "DATABASE_URL": "postgres://portal@db.example.go.id:5432/asn_portal",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "portal.example.go.id",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
