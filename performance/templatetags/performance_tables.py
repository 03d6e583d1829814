"""The long tables of the performance pages (a page of 50 units, a page of 50 people), written as HTML in one pass:
the same markup as a template loop, without a template variable lookup, an include or a lazy-escaping call per
cell. Every value is escaped with `html.escape` (the same five characters as Django's `escape`)."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from performance.choices import Predikat

register = template.Library()

_BADGE = {
    Predikat.SANGAT_BAIK.value: "text-bg-success",
    Predikat.BAIK.value: "text-bg-primary",
    Predikat.BUTUH_PERBAIKAN.value: "text-bg-warning",
}


def _e(value: Any) -> str:
    return escape(str(value))


def predikat_badge(value: str, label: Any) -> str:
    """Same markup as performance/_predikat.html."""
    if not value:
        return '<span class="text-body-secondary">–</span>'
    return f'<span class="badge {_BADGE.get(value, "text-bg-danger")}" data-testid="predikat">{_e(label)}</span>'


def _pattern(row: dict[str, Any], texts: dict[str, str]) -> str:
    if not row["rating"]:
        return f'<span class="text-body-secondary">{texts["no_rating"]}</span>'
    if not row["total"]:
        return f'<span class="text-body-secondary">{texts["no_total"]}</span>'
    if row["warnings"]:
        return "".join(
            f"<div>⚠ {_e(gettext(str(w.message)))} "
            f"{_e(gettext('(ada %(a)s, batas %(r)s)') % {'a': w.actual, 'r': w.required})}</div>"
            for w in row["warnings"]
        )
    return f'<span class="text-success">{texts["ok"]}</span>'


def _unit_row(row: dict[str, Any], link: tuple[str, str], ratings: dict[str, str], texts: dict[str, str]) -> str:
    cal = row["calibration"]
    final = cal is not None and cal.status == "final"
    status = f'<span class="badge text-bg-success">{texts["final"]}</span>' if final else texts["open"]
    value = row["rating"].rating if row["rating"] else ""
    rating = (ratings.get(value, value) if value else "") or "–"
    cells = "".join(f'<td class="text-end">{n}</td>' for n in row["cells"])
    warn = ' class="table-warning"' if row["warnings"] else ""
    return (
        f'<tr{warn}>\n<th scope="row" class="small"><a href="?{link[0]}{row["unit"].pk}{link[1]}">'
        f"{_e(row['unit'].name)}</a></th>\n"
        f'<td>{_e(rating)}</td>\n{cells}\n<td class="text-end">{row["total"]}</td>\n'
        f'<td class="small">{_pattern(row, texts)}</td>\n<td class="small">{status}</td></tr>\n'
    )


def _unit_link(q: QueryDict) -> tuple[str, str]:
    """The escaped query string of a unit's link around its id: `q` urlencoded once with a marker for the unit
    (a random token: no request value can contain it), instead of once per row."""
    import secrets

    marker = f"u{secrets.token_hex(8)}"
    q["unit"] = marker
    before, after = _e(q.urlencode()).split(marker, 1)
    return before, after


@register.simple_tag(takes_context=True)
def calibration_unit_rows(context: dict[str, Any], rows: list[dict[str, Any]], period_pk: int) -> SafeString:
    """The calibration table's rows: unit (link to who is where), rating, counts per predikat, total, pattern
    check, status."""
    request = context.get("request")
    q = request.GET.copy() if request is not None else QueryDict(mutable=True)
    q["period"] = str(period_pk)
    q.pop("people_page", None)
    texts = {
        key: _e(gettext(msg))
        for key, msg in (
            ("no_rating", "predikat unit belum ada"),
            ("no_total", "belum ada penilaian"),
            ("ok", "sesuai pola"),
            ("final", "final"),
            ("open", "terbuka"),
        )
    }
    from performance.choices import UnitRating

    ratings = {v: str(label) for v, label in UnitRating.choices}
    link = _unit_link(q)
    return mark_safe("".join(_unit_row(row, link, ratings, texts) for row in rows))  # noqa: S308 (escaped above)


@register.simple_tag
def calibration_people_rows(people: list[Any]) -> SafeString:
    """Who is where: one row per SKP (annual period) or evaluation (other periods) with its predikat
    (performance.calibration.selectors.PersonRow)."""
    prefix, suffix = _url_pattern("performance:plan-detail")
    out = []
    for x in people:
        badge = predikat_badge(x.predikat, x.predikat_label)
        out.append(f'<tr><td><a href="{prefix}{x.plan_id}{suffix}">{_e(x.name)}</a></td><td>{badge}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag(takes_context=True)
def unit_rating_rows(context: dict[str, Any], rows: list[tuple[Any, Any, bool]], period_pk: int) -> SafeString:
    """Predikat unit: per unit its rating and basis, with a small form to set them (or, for the user's own unit,
    the rating and why it is not theirs to set)."""
    from django.middleware.csrf import get_token

    from performance.choices import UnitRating

    token = _e(get_token(context["request"]))
    choices = [(v, _e(label)) for v, label in UnitRating.choices]
    label_rating, label_basis = _e(gettext("Predikat")), _e(gettext("Dasar penetapan"))
    own_note, save = (
        _e(gettext("Unit kerja Anda sendiri: predikatnya ditetapkan oleh pejabat lain.")),
        _e(gettext("Simpan")),
    )
    out = []
    for unit, rating, may_set in rows:
        name = _e(unit.name)
        head = f'<tr>\n<th scope="row" class="small">{name}</th>\n'
        if not may_set:
            shown = _e((rating.get_rating_display() if rating else "") or "–")
            out.append(
                f'{head}<td>{shown}</td><td colspan="2" class="small text-body-secondary" '
                f'data-testid="own-unit-note">{own_note}</td></tr>'
            )
            continue
        current = rating.rating if rating else None
        options = "".join(
            f'<option value="{v}"{" selected" if current == v else ""}>{label}</option>' for v, label in choices
        )
        note = _e(rating.note if rating and rating.note else "")
        out.append(
            f'{head}<td><select class="form-select form-select-sm" form="ur{unit.pk}" name="rating" '
            f'aria-label="{label_rating} {name}"><option value="">–</option>{options}</select></td>\n'
            f'<td><input class="form-control form-control-sm" form="ur{unit.pk}" name="note" value="{note}" '
            f'aria-label="{label_basis} {name}"></td>\n'
            f'<td><form method="post" id="ur{unit.pk}"><input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{token}"><input type="hidden" name="unit" value="{unit.pk}"><input type="hidden" '
            f'name="period" value="{period_pk}"><button class="btn btn-sm btn-primary" type="submit">{save}</button>'
            "</form></td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


_STATUS_BADGE = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "returned": "text-bg-warning",
    "approved": "text-bg-primary",
    "evaluated": "text-bg-dark",
    "final": "text-bg-success",
    "resolved": "text-bg-success",
}


def status_badge(value: str, label: Any) -> str:
    """Same markup as performance/_status.html."""
    return (
        f'<span class="badge {_STATUS_BADGE.get(value, "text-bg-danger")}" data-testid="plan-status">{_e(label)}</span>'
    )


def _url_pattern(name: str) -> tuple[str, str]:
    url = reverse(name, args=[0])
    cut = url.rindex("0")
    return url[:cut], url[cut + 1 :]


@register.simple_tag
def inbox_table_rows(items: Any, action: str, evaluate: bool = False) -> SafeString:
    """The inbox rows: employee, post, unit, year, status (and a period still to appraise), the action button."""
    prefix, suffix = _url_pattern("performance:evaluate" if evaluate else "performance:plan-detail")
    labels = {key: _e(gettext(msg)) for key, msg in (("pos", "Jabatan"), ("unit", "Unit"), ("year", "Tahun"))}
    status_label, pending = _e(gettext("Status")), _e(gettext("periode belum dinilai"))
    action = _e(action)
    out = []
    for p in items:
        flag = f' <span class="badge text-bg-warning">{pending}</span>' if evaluate and p.has_pending else ""
        out.append(
            f'<tr><th scope="row" class="fw-semibold">{_e(p.employee.full_name)}</th>'
            f'<td class="small" data-label="{labels["pos"]}">{_e(p.position_title)}</td>'
            f'<td class="small" data-label="{labels["unit"]}">{_e(p.unit.name)}</td>'
            f'<td data-label="{labels["year"]}">{p.year}</td>\n'
            f'<td data-label="{status_label}">{status_badge(p.status, p.get_status_display())}{flag}</td>\n'
            f'<td class="text-end table-stack-action"><a class="btn btn-sm btn-primary" '
            f'href="{prefix}{p.pk}{suffix}">{action}</a></td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def plan_list_rows(plans: Any) -> SafeString:
    """Daftar SKP: employee (link to the SKP), unit, appraiser, status and predikat badges (the markup of
    _status.html and _predikat.html, each followed by its template's newline)."""
    prefix, suffix = _url_pattern("performance:plan-detail")
    out = []
    for p in plans:
        appraiser = (p.appraiser.full_name if p.appraiser_id else "") or "–"
        out.append(
            f'<tr><td><a href="{prefix}{p.pk}{suffix}">{_e(p.employee.full_name)}</a></td>'
            f'<td class="small">{_e(p.unit.name)}</td><td class="small">{_e(appraiser)}</td>\n'
            f"<td>{status_badge(p.status, p.get_status_display())}\n</td>"
            f"<td>{predikat_badge(p.predikat, p.get_predikat_display())}\n</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def team_rows(people: Any, period: Any) -> SafeString:
    """Kinerja tim: person and post, unit, the SKP's status (link) or "not yet", and for the running period
    whether they reported and their predikat."""
    from performance.choices import PlanStatus

    prefix, suffix = _url_pattern("performance:plan-detail")
    status_labels = {v: _e(label) for v, label in PlanStatus.choices}
    predikat_labels = dict(Predikat.choices)
    unplanned = f'<span class="badge text-bg-danger">{_e(gettext("belum menyusun"))}</span>'
    done = f'<span class="badge text-bg-success">{_e(gettext("sudah"))}</span>'
    not_yet = f'<span class="badge text-bg-warning">{_e(gettext("belum"))}</span>'
    out = []
    for e in people:
        title = (e.position.title if e.position_id else "") or ""
        plan = (
            f'<a href="{prefix}{e.plan_id}{suffix}">{status_labels.get(e.plan_status, "None")}</a>'
            if e.plan_id
            else unplanned
        )
        row = (
            f'<tr><td>{_e(e.full_name)}<div class="small text-body-secondary">{_e(title)}</div></td>'
            f'<td class="small">{_e(e.unit.name)}</td>\n<td>{plan}</td>\n'
        )
        if period:
            predikat = (
                predikat_badge(e.period_predikat, predikat_labels.get(e.period_predikat)) + "\n"
                if e.period_predikat
                else "–"
            )
            row += f"<td>{done if e.reported else not_yet}</td><td>{predikat}</td>"
        out.append(row + "</tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def plan_result_rows(results: list[Any], is_jpt: bool) -> SafeString:
    """The SKP's RHK rows (the markup of the former _result_rows.html per RHK): number, the RHK above, the RHK
    (spanning its IKI rows), per IKI its aspect, text, target and progress per period with evidence links, and
    for a JPT SKP the perspective; an RHK without IKI says so."""
    prefix, suffix = _url_pattern("performance:progress-evidence")
    proof, file_, no_iki = _e(gettext("bukti")), _e(gettext("berkas")), _e(gettext("Belum ada indikator (IKI)."))
    out = []
    for n, r in enumerate(results, 1):
        inds = list(r.indicators.all())
        above = _e((r.parent_result.text if r.parent_result_id else "") or "–")
        if not inds:
            jpt = "<td></td>" if is_jpt else ""
            out.append(
                f'<tr><td>{n}</td><td class="small">{above}</td><td>{_e(r.text)}</td>'
                f'<td colspan="4" class="text-danger small">{no_iki}</td>{jpt}</tr>\n'
            )
            continue
        span = len(inds)
        for k, i in enumerate(inds):
            head = (
                f'<td rowspan="{span}">{n}</td>\n  <td rowspan="{span}" class="small">{above}</td>\n'
                f'  <td rowspan="{span}">{_e(r.text)}</td>'
                if k == 0
                else ""
            )
            progress = []
            for pr in i.progress.all():
                link = (
                    f' · <a href="{_e(pr.evidence_link)}" rel="noopener" target="_blank">{proof}</a>'
                    if pr.evidence_link
                    else ""
                )
                stored = f' · <a href="{prefix}{pr.pk}{suffix}">{file_}</a>' if pr.evidence_file else ""
                progress.append(
                    f"<div>{_e(pr.period.display_name)}: <strong>{_e(pr.value)}</strong>{link}{stored}</div>"
                )
            jpt = f'<td rowspan="{span}">{_e(r.get_perspective_display() or "–")}</td>' if is_jpt and k == 0 else ""
            out.append(
                f"<tr>\n  {head}\n  <td>{_e(i.get_aspect_display())}</td><td>{_e(i.text)}</td>"
                f"<td>{_e(i.target)} {_e(i.unit)}</td>\n"
                f'  <td class="small">{"".join(progress) or "–"}</td>\n  {jpt}\n</tr>'
            )
        out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def period_options(periods: list[Any], period: Any) -> SafeString:
    """The period picker's `<option>`s (performance/_period_picker.html): each period's name and year, the
    chosen one selected."""
    chosen = getattr(period, "pk", None)
    return mark_safe(  # noqa: S308 (every value escaped)
        "".join(
            f'<option value="{p.pk}"{" selected" if p.pk == chosen else ""}>{_e(p.display_name)} {p.year}</option>'
            for p in periods
        )
    )


_FORM_HTML: dict[tuple[type, str | None], SafeString] = {}


@register.simple_tag
def unbound_crispy_form(form: Any) -> SafeString:
    """`{{ form|crispy }}` of an empty form (unbound, no initial data, so no errors and no values): the same
    markup for every request in a language, rendered once per process, form class and language (the
    calibration page's finalise form: crispy's field templates cost more than the rest of the page). Any
    other form is rendered as the filter does."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
    from django.utils.translation import get_language

    if form.is_bound or form.initial or form.prefix:
        return mark_safe(str(as_crispy_form(form)))  # noqa: S308 (crispy's own output)
    key = (type(form), get_language())
    html = _FORM_HTML.get(key)
    if html is None:
        html = _FORM_HTML[key] = mark_safe(str(as_crispy_form(form)))  # noqa: S308 (crispy's own output)
    return html


@register.simple_tag
def predikat_history_rows(history: list[Any]) -> SafeString:
    """Riwayat predikat (performance/_history.html): per year its predikat badge, its source and, when it says
    more than the source, its note (both in the reader's language, as the `catalogue_text` filter gives them)."""
    out = []
    for h in history:
        source = h.get_source_display()
        note = gettext(str(h.note)) if h.note else ""
        more = f" · {_e(note)}" if h.note and note != source else ""
        out.append(
            f'<tr><th scope="row">{h.year}</th><td>{predikat_badge(h.predikat, h.get_predikat_display())}\n'
            f'<div class="small text-body-secondary">{_e(source)}{more}</div></td></tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def plan_evaluation_rows(evaluation_rows: list[tuple[Any, Any]]) -> SafeString:
    """Penilaian per periode (performance/_plan_main.html): per period of the SKP's year its name and status
    and, once evaluated, the result rating (and whether it came from the unit's rating), the behaviour rating
    and the predikat."""
    from_unit = f' <span class="badge text-bg-light border">{_e(gettext("dari kinerja unit"))}</span>'
    out = []
    for p, e in evaluation_rows:
        if e is not None and e.result_rating:
            result = _e(e.get_result_rating_display()) + (from_unit if e.result_rating_from_unit else "")
        else:
            result = "–"
        behaviour = (_e(e.get_behaviour_rating_display()) if e is not None else "") or "–"
        badge = predikat_badge(e.predikat, e.get_predikat_display()) if e is not None else predikat_badge("", "")
        out.append(
            f'<tr><th scope="row">{_e(p.display_name)}</th><td>{_e(p.get_status_display())}</td>\n'
            f"      <td>{result}</td>\n      <td>{behaviour}</td>\n      <td>{badge}\n</td></tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
