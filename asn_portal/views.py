"""Shared pages: home (composed from app cards), notifications, health and error handlers."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from . import registry
from .models import JobRun, Notification
from .services import notifications_mark_read, run_periodic_task_now


def _user(request: HttpRequest) -> Any:
    """The signed-in user (login is enforced by middleware)."""
    return request.user


def home(request: HttpRequest) -> HttpResponse:
    roles = registry.roles_of(request.user)
    cards = registry.render_panels(registry.registry.home_cards, request)
    return render(request, "asn_portal/home.html", {"cards": cards, "roles": roles})


def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=_user(request)).order_by("-created_at")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "asn_portal/notifications.html", {"page_obj": page})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    n = get_object_or_404(Notification, pk=pk, user=_user(request))
    notifications_mark_read(user=_user(request), pk=n.pk)
    if n.url and request.POST.get("follow"):
        return redirect(n.url)
    return redirect("notifications")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=_user(request))
    messages.success(request, _("%(n)d notifikasi ditandai sudah dibaca.") % {"n": count})
    return redirect("notifications")


def _check_database() -> str | None:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - report any failure as "down"
        return str(exc)
    return None


def _check_redis() -> str | None:
    url = settings.REDIS_URL
    if not url:
        return None
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        return str(exc)
    return None


def _check_celery() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        from .celery import app

        replies = app.control.inspect(timeout=1.0).ping()
    except Exception as exc:  # noqa: BLE001
        return str(exc)
    return None if replies else "no worker answered"


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and Celery reachability: 200 when all fine, 503 naming what is down."""
    checks: dict[str, Any] = {}
    down = []
    for name, check, configured in (
        ("database", _check_database, True),
        ("redis", _check_redis, bool(settings.REDIS_URL)),
        ("celery", _check_celery, not settings.CELERY_TASK_ALWAYS_EAGER),
    ):
        if not configured:
            checks[name] = {"status": "not configured"}
            continue
        error = check()
        checks[name] = {"status": "ok"} if error is None else {"status": "down", "error": error}
        if error is not None:
            down.append(name)
    body = {"status": "ok" if not down else "down", "down": down, "checks": checks}
    return JsonResponse(body, status=200 if not down else 503)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"message": _("Data tidak ditemukan."), "extra": {}}, status=404)
    return render(request, "errors/404.html", status=404)


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"message": _("Anda tidak berwenang melakukan tindakan ini."), "extra": {}}, status=403)
    return render(request, "errors/403.html", status=403)


def _database_fault() -> bool:
    """True when the exception being handled means the database cannot be reached (a temporary fault)."""
    exc = sys.exc_info()[1]
    return isinstance(exc, OperationalError | InterfaceError)


def _standalone_error(title: str, message: str, status: int) -> HttpResponse:
    """An error page rendered without the request context: no session, user or notification count, so no
    database query; it renders while PostgreSQL is down."""
    html = render_to_string("errors/standalone.html", {"title": title, "message": message})
    return HttpResponse(html, status=status)


def handler500(request: HttpRequest) -> HttpResponse:
    if _database_fault():
        title = _("Layanan sementara terganggu")
        message = _(
            "Basis data portal sedang tidak dapat dihubungi. Ini gangguan sementara; data Anda aman. "
            "Coba lagi dalam beberapa menit."
        )
        if _is_api(request):
            response: HttpResponse = JsonResponse({"message": message, "extra": {"temporary": True}}, status=503)
        else:
            response = _standalone_error(title, message, 503)
        response["Retry-After"] = "60"
        return response
    if _is_api(request):
        return JsonResponse({"message": _("Terjadi kesalahan pada server."), "extra": {}}, status=500)
    try:
        return render(request, "errors/500.html", status=500)
    except Exception:  # noqa: BLE001 - the full page needs the session; never fail the error page itself
        return _standalone_error(
            _("Terjadi kesalahan"),
            _("Maaf, terjadi kesalahan pada server. Tim BKD sudah dapat melihat catatannya; coba lagi nanti."),
            500,
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"message": _("Token CSRF tidak ada atau tidak valid; muat ulang halaman lalu coba lagi."), "extra": {}},
            status=403,
        )
    return render(request, "errors/csrf.html", status=403)


def _require_hr_admin(request: HttpRequest) -> frozenset[int] | None:
    if registry.HR_ADMIN not in registry.roles_of(request.user):
        raise PermissionDenied
    return registry.admin_agency_ids(request.user)


def job_list(request: HttpRequest) -> HttpResponse:
    """BKD admins: periodic jobs (schedule held in the database) and their recent runs."""
    agency_ids = _require_hr_admin(request)
    runs = JobRun.objects.all()
    if agency_ids is not None:
        runs = runs.filter(Q(agency_id__isnull=True) | Q(agency_id__in=agency_ids))
    page = Paginator(runs.order_by("-started_at"), 30).get_page(request.GET.get("page"))
    tasks = PeriodicTask.objects.select_related("interval", "crontab").order_by("name")
    return render(
        request,
        "asn_portal/jobs.html",
        {"page_obj": page, "tasks": tasks, "breadcrumbs": [(_("Pekerjaan terjadwal"), None)]},
    )


@require_POST
def job_run_now(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr_admin(request)
    task = get_object_or_404(PeriodicTask, pk=pk)
    run_periodic_task_now(task)
    messages.success(request, _("Pekerjaan “%(name)s” dijalankan.") % {"name": task.name})
    return redirect("jobs")
