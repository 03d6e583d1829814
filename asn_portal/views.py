"""Shared pages: home (composed from app cards), notifications, health and error handlers."""

from __future__ import annotations

import hmac
import logging
import sys
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from . import registry, summaries
from .card_html import card_html
from .errors import ApplicationError
from .forms import ApiTokenForm
from .http import safe_next
from .models import JobRun, Notification
from .services import (
    api_token_create,
    api_token_list_of,
    api_token_revoke,
    broker_configured,
    can_run_job_now,
    notifications_mark_read,
    periodic_task_run_now,
)

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> Any:
    """The signed-in user (login is enforced by middleware)."""
    return request.user


def home(request: HttpRequest) -> HttpResponse:
    roles = registry.roles_of(request.user)
    with summaries.figures_read_together():  # the admin's cards read their summary figures in one query
        cards = registry.render_panels(registry.registry.home_cards, request)
    # each card's HTML once per distinct content (asn_portal.card_html); the figures are read live above
    html = [card_html(template, ctx) for template, ctx in cards]
    return render(request, "asn_portal/home.html", {"cards": cards, "card_html": html, "roles": roles})


def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=_user(request)).order_by("-created_at", "-pk")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "asn_portal/notifications.html", {"page_obj": page})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    n = get_object_or_404(Notification, pk=pk, user=_user(request))
    notifications_mark_read(user=_user(request), pk=n.pk)
    if n.url and request.POST.get("follow"):
        return safe_next(request, "notifications", value=n.url)
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


def _ping_celery() -> str | None:
    try:
        from .celery import app

        replies = app.control.inspect(timeout=1.0).ping()
    except Exception as exc:  # noqa: BLE001
        return str(exc)
    return None if replies else "no worker answered"


CELERY_CACHE_KEY = "healthz:celery"


def _check_celery() -> str | None:
    """The worker ping waits up to a second; its answer is cached for HEALTHZ_CELERY_CACHE_SECONDS so a load
    balancer probing every few seconds does not tie up a sync web worker on every call."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    ttl = settings.HEALTHZ_CELERY_CACHE_SECONDS
    cached = cache.get(CELERY_CACHE_KEY) if ttl else None
    if cached is not None:
        return cached["error"]
    error = _ping_celery()
    if ttl:
        cache.set(CELERY_CACHE_KEY, {"error": error}, ttl)
    return error


def _may_see_health_details(request: HttpRequest) -> bool:
    """Superusers, or a monitor presenting `Authorization: Bearer <HEALTHZ_TOKEN>`."""
    if getattr(request.user, "is_superuser", False):
        return True
    token = settings.HEALTHZ_TOKEN
    header = request.headers.get("Authorization", "")
    return bool(token) and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and Celery reachability: 200 when all fine, 503 when something is down.

    Anonymous callers (load balancers, the public) get status words only: {"status": "ok"|"degraded",
    "checks": {"database": "ok"|"down"|"not configured", ...}}. Error texts (host names, driver messages)
    go to the log and, with timings, to superusers and holders of HEALTHZ_TOKEN."""
    details = _may_see_health_details(request)
    checks: dict[str, Any] = {}
    down = []
    for name, check, configured in (
        ("database", _check_database, True),
        ("redis", _check_redis, bool(settings.REDIS_URL)),
        ("celery", _check_celery, not settings.CELERY_TASK_ALWAYS_EAGER),
    ):
        if not configured:
            checks[name] = {"status": "not configured"} if details else "not configured"
            continue
        started = time.perf_counter()
        error = check()
        word = "ok" if error is None else "down"
        if error is not None:
            down.append(name)
            logger.warning("healthz: %s is down: %s", name, error)
        if details:
            checks[name] = {"status": word, "seconds": round(time.perf_counter() - started, 3)}
            if error is not None:
                checks[name]["error"] = error
        else:
            checks[name] = word
    body: dict[str, Any] = {"status": "ok" if not down else "degraded", "checks": checks}
    if details:
        body["down"] = down
    return JsonResponse(body, status=200 if not down else 503)


@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    """Account page “Token API”: the user's own tokens; create one (its text is shown once, on this
    response only, never stored or put in a message) and revoke."""
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    created_text = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created_text = api_token_create(
                user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "asn_portal/tokens.html",
        {
            "form": form,
            "tokens": api_token_list_of(user=user),
            "created_text": created_text,
            "breadcrumbs": [(_("Token API"), None)],
        },
    )


@require_POST
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        api_token_revoke(user=_user(request), public_id=public_id)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        raise
    messages.success(request, _("Token dicabut; aplikasi yang memakainya tidak dapat mengakses API lagi."))
    return redirect("api-tokens-page")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, message: str = "") -> HttpResponse:
    """A 400 answer: JSON `{"message", "extra"}` under /api/, the 400 page elsewhere."""
    message = message or _("Data yang dikirim tidak dapat diproses. Periksa isian Anda lalu coba lagi.")
    if _is_api(request):
        return JsonResponse({"message": message, "extra": {}}, status=400)
    return render(request, "errors/400.html", {"message": message}, status=400)


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return bad_request(request)


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
    runs = JobRun.objects.filter(parent__isnull=True)  # a fanned-out job shows once, its parts summed
    if agency_ids is not None:
        runs = runs.filter(Q(agency_id__isnull=True) | Q(agency_id__in=agency_ids))
    page = Paginator(runs.order_by("-started_at", "-pk"), 30).get_page(request.GET.get("page"))
    tasks = list(PeriodicTask.objects.select_related("interval", "crontab").order_by("name"))
    for t in tasks:
        t.can_run_now = can_run_job_now(request.user, t)
        t.agency_slice = t.task in registry.registry.agency_jobs
    return render(
        request,
        "asn_portal/jobs.html",
        {
            "page_obj": page,
            "tasks": tasks,
            "broker_configured": broker_configured(),
            "is_superuser": request.user.is_superuser,
            "breadcrumbs": [(_("Pekerjaan terjadwal"), None)],
        },
    )


@require_POST
def job_run_now(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr_admin(request)
    task = get_object_or_404(PeriodicTask, pk=pk)
    try:
        agency_ids = periodic_task_run_now(task=task, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("jobs")
    if agency_ids == [None]:
        msg = _("Pekerjaan “%(name)s” dikirim ke worker untuk semua instansi.")
    else:
        msg = _("Pekerjaan “%(name)s” dikirim ke worker untuk instansi Anda.")
    messages.success(request, msg % {"name": task.name})
    return redirect("jobs")
