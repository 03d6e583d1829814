"""Competency standard pages: per position, bulk assignment, job progress and default levels."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.errors import ApplicationError
from asn_portal.models import JobRun
from competencies import selectors
from competencies.forms import (
    BulkDefaultsForm,
    DefaultLevelForm,
    RequirementForm,
)
from competencies.models import Competency, CompetencyRequirement, DefaultRequirementLevel
from competencies.standards import services as standard_services
from competencies.web import admin_agency, page_without_count, require_admin
from people.access import admin_agency_q, scope_for
from people.choices import PositionType
from people.models import Position


def _rows_html(positions: list[Position], counts: dict[int, tuple[int, int]]) -> SafeString:
    """The page's rows joined here (the template engine spent more on 25 rows of choice labels, counts and
    links than on the rest of the page). Titles and unit names escaped; the rest are our labels and numbers."""
    marker = 987654321
    url = reverse("competencies:standard-edit", args=[marker])
    missing = escape(_("belum ada"))
    action = escape(_("Atur"))
    out = []
    for p in positions:
        n_req, n_override = counts.get(p.pk, (0, 0))
        kind = escape(f"{p.get_kind_display()} {p.get_functional_level_display()}")
        standard = str(n_req) if n_req else f'<span class="badge text-bg-warning">{missing}</span>'
        out.append(
            f'<tr><td>{escape(p.title)}</td><td class="small">{kind}</td><td class="small">{escape(p.unit.name)}</td>'
            f'<td class="text-center">{standard}</td><td class="text-center">{n_override}</td>'
            f'<td><a class="btn btn-sm btn-outline-primary" href="{url.replace(str(marker), str(p.pk))}">{action}</a>'
            "</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every text escaped above


def standards(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    qs = Position.objects.filter(admin_agency_q(request.user), is_active=True).select_related("unit")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    missing = request.GET.get("missing")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    if missing:
        qs = qs.filter(~Exists(CompetencyRequirement.objects.filter(position=OuterRef("pk"))))
    # an agency has thousands of posts: pages without a COUNT(*) over them
    page = page_without_count(qs.order_by("unit__path", "title", "pk"), request.GET.get("page"))
    # Standard counts for this page's posts only (one grouped query), not a GROUP BY over the agency's posts.
    counts: dict[int, tuple[int, int]] = {
        r["position_id"]: (r["n"], r["overrides"])
        for r in CompetencyRequirement.objects.filter(position_id__in=[p.pk for p in page])
        .values("position_id")
        .annotate(n=Count("pk"), overrides=Count("pk", filter=Q(is_override=True)))
        .order_by()
    }
    runs = JobRun.objects.filter(
        job="competencies.jpm_refresh_positions",
        **({} if scope_for(request.user).everything else {"agency_id__in": scope_for(request.user).admin_agency_ids}),
    )[:3]
    return render(
        request,
        "competencies/standards.html",
        {
            "page_obj": page,
            "rows_html": _rows_html(list(page), counts),
            "kind": kind,
            "q": q,
            "missing": missing,
            "kinds": PositionType.choices,
            "bulk_form": BulkDefaultsForm(),
            "runs": runs,
            "breadcrumbs": [(_("Standar kompetensi jabatan"), None)],
        },
    )


def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request)
    position = selectors.position_get_admin(user=request.user, pk=pk)
    comps = list(
        Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=position.agency_id), is_active=True).order_by(
            "agency_id", "kind", "order", "name"
        )
    )
    reqs = {r.competency_id: r for r in CompetencyRequirement.objects.filter(position=position)}
    form = RequirementForm(
        request.POST or None, competencies=comps, initial_levels={cid: r.level for cid, r in reqs.items()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = standard_services.requirement_set(position=position, levels=form.levels(), actor=request.user)
        except ApplicationError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Standar jabatan disimpan (%(n)s perubahan).") % {"n": changed})
            return redirect("competencies:standards")
    return render(
        request,
        "competencies/standard_edit.html",
        {
            "form": form,
            "position": position,
            "reqs": reqs,
            "holders": position.holders.count(),
            "breadcrumbs": [
                (_("Standar kompetensi jabatan"), reverse("competencies:standards")),
                (position.title, None),
            ],
        },
    )


@require_POST
def standards_bulk(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    form = BulkDefaultsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilihan penerapan massal tidak valid."))
        return redirect("competencies:standards")
    agency = admin_agency(request)
    try:
        result = standard_services.requirements_apply_defaults(
            agency_id=agency.pk,
            position_kind=form.cleaned_data["position_kind"],
            functional_level=form.cleaned_data["functional_level"],
            level=form.cleaned_data["level"],
            actor=request.user,
        )
    except ApplicationError as err:
        messages.error(request, err.message)
        return redirect("competencies:standards")
    c = result["counts"]
    messages.success(
        request,
        _("Standar diterapkan ke %(p)s jabatan: %(c)s baru, %(u)s diubah; %(n)s pegawai terdampak.")
        % {"p": c["positions"], "c": c["created"], "u": c["updated"], "n": c["people"]},
    )
    if result["job_run"] is not None:
        return redirect("competencies:job-progress", result["job_run"].pk)
    return redirect("competencies:standards")


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request)
    scope = scope_for(request.user)
    qs = JobRun.objects.filter(pk=pk, job__startswith="competencies.")
    if not scope.everything:
        qs = qs.filter(agency_id__in=scope.admin_agency_ids)
    run = qs.first()
    if run is None:
        from django.http import Http404

        raise Http404
    total = run.counts.get("total") or 0
    done = run.counts.get("done") or 0
    ctx = {
        "run": run,
        "percent": int(100 * done / total) if total else 100,
        "done": done,
        "total": total,
        "breadcrumbs": [(_("Standar kompetensi jabatan"), reverse("competencies:standards")), (_("Progres"), None)],
    }
    template = "competencies/_progress.html" if request.headers.get("HX-Request") else "competencies/progress.html"
    return render(request, template, ctx)


def default_levels(request: HttpRequest) -> HttpResponse:
    require_admin(request)
    rows = list(DefaultRequirementLevel.objects.all())
    if request.method == "POST":
        if not request.user.is_superuser:
            raise PermissionDenied
        row = next((r for r in rows if str(r.pk) == request.POST.get("row")), None)
        form = DefaultLevelForm(request.POST, instance=row)
        if row is not None and form.is_valid():
            try:
                standard_services.default_level_update(row=row, level=form.cleaned_data["level"], actor=request.user)
            except ApplicationError as err:
                messages.error(request, err.message)
            else:
                messages.success(request, _("Level bawaan disimpan."))
            return redirect("competencies:default-levels")
        messages.error(request, _("Level harus 1–5."))
    return render(
        request,
        "competencies/default_levels.html",
        {
            "rows": rows,
            "can_edit": request.user.is_superuser,
            "breadcrumbs": [
                (_("Standar kompetensi jabatan"), reverse("competencies:standards")),
                (_("Level standar bawaan"), None),
            ],
        },
    )
