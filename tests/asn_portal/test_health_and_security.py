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
    assert body["checks"]["database"] == "ok"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_tells_anonymous_callers_only_that_redis_is_down():
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "down", "celery": "not configured"},
    }
    assert "127.0.0.1" not in response.content.decode() and "Error" not in response.content.decode()


@override_settings(REDIS_URL="redis://127.0.0.1:1/0", HEALTHZ_TOKEN="monitor-secret-0123456789")
def test_healthz_details_for_a_superuser_or_the_monitoring_token():
    from people.models import User

    root = User.objects.create_superuser("root", "root@example.go.id", "x")
    client = Client()
    client.force_login(root)
    for response in (
        client.get("/healthz"),
        Client().get("/healthz", HTTP_AUTHORIZATION="Bearer monitor-secret-0123456789"),
    ):
        body = response.json()
        assert response.status_code == 503 and body["down"] == ["redis"]
        assert "error" in body["checks"]["redis"] and body["checks"]["database"]["status"] == "ok"
    wrong = Client().get("/healthz", HTTP_AUTHORIZATION="Bearer guess").json()
    assert wrong["checks"]["redis"] == "down" and "down" not in wrong


@override_settings(REDIS_URL="redis://127.0.0.1:6379/0")
def test_healthz_checks_a_live_redis():
    response = Client().get("/healthz")
    assert response.json()["checks"]["redis"] == "ok"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, REDIS_URL="", HEALTHZ_CELERY_CACHE_SECONDS=10)
def test_healthz_pings_celery_once_for_repeated_probes(monkeypatch):
    from django.core.cache import cache

    from asn_portal import views

    cache.delete(views.CELERY_CACHE_KEY)
    calls = []

    def fake_ping():
        calls.append(1)
        return "no worker answered"

    monkeypatch.setattr(views, "_ping_celery", fake_ping)
    first, second = Client().get("/healthz"), Client().get("/healthz")
    assert len(calls) == 1
    assert first.json()["checks"]["celery"] == second.json()["checks"]["celery"] == "down"
    cache.delete(views.CELERY_CACHE_KEY)


def test_every_response_carries_a_permissions_policy():
    emp = EmployeeFactory()
    client = Client()
    client.force_login(emp.user)
    for response in (client.get("/"), Client().get("/healthz"), Client().get("/akun/masuk/")):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy


@override_settings(API_DOCS_PUBLIC=False)
def test_api_schema_and_docs_need_a_login_when_not_public():
    schema = Client().get("/api/schema/")
    assert schema.status_code in (401, 403) and b"/api/v1/" not in schema.content
    docs = Client().get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/akun/masuk/")
    emp = EmployeeFactory()
    client = Client()
    client.force_login(emp.user)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_production_settings_keep_the_api_docs_behind_login():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asn_portal.settings.production",
        "SECRET_KEY": "p" * 60,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "x",
    }
    env.pop("API_DOCS_PUBLIC", None)
    code = "from django.conf import settings; print(settings.API_DOCS_PUBLIC)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


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
        timeout=900,  # hashing every static file takes minutes on a loaded two-core CI machine
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
