"""The directory's pages (people.selectors.DirectoryPaginator) and filter set (people.filters.EmployeeFilterSet):
the rows of every page equal the plain ordered slice of the filtered list (the id breaking ties), whichever way
the page is read (a short list collected first, a name search with its total, a long list), and a filter set
keeps nothing between requests (issue #13)."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from people import selectors
from people.filters import EmployeeFilterSet
from tests.people.factories import EmployeeFactory, rank

pytestmark = pytest.mark.django_db


def _filtered(user, params):
    request = RequestFactory().get("/pegawai/", params)
    request.user = user
    data = request.GET.copy()
    data.setdefault("ordering", "name")
    fs = EmployeeFilterSet(data, queryset=selectors.employee_directory(user=user), request=request, filter_bar=True)
    assert fs.is_valid(), fs.errors
    return fs


def _pages(fs, per_page=4):
    """Every page's rows through the paginator, and the plain ordered slices they must equal."""
    qs = fs.qs
    expected = list(qs.order_by(*qs.query.order_by, "pk").values(*selectors.DIRECTORY_ROW_FIELDS))
    got, n = [], 1
    while True:
        page = selectors.DirectoryPaginator(qs, per_page, name_search=fs.searches_name).get_page(n)
        assert page.paginator.count == len(expected)
        got.extend(page.object_list)
        if not page.has_next():
            return got, expected
        n += 1


@pytest.fixture
def crowd(org):
    """Namesakes (ties on the name) in the head's units and elsewhere, with and without a rank."""
    for i in range(7):
        EmployeeFactory(
            unit=org.bidang if i % 2 else org.dinas, name="Rudi Siregar", rank=rank("III/a") if i % 3 else None
        )
        EmployeeFactory(unit=org.dinas, name=f"Ani Lubis {i % 3}", rank=rank("III/b"))
    return org


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "-name"},
        {"ordering": "-rank"},
        {"ordering": "unit"},
        {"q": "siregar", "ordering": "-rank"},
        {"q": "siregar"},
        {"q": "lubis", "ordering": "-unit"},
        {"status": "active", "ordering": "rank"},
    ],
)
@pytest.mark.parametrize("role", ["admin", "head"])
def test_every_page_holds_the_ordered_slice_of_the_list(crowd, params, role):
    user = getattr(crowd, role).user
    got, expected = _pages(_filtered(user, params))
    assert got == expected and len({r["id"] for r in got}) == len(got)


def test_a_long_list_is_not_collected_first_and_a_short_one_is(crowd, monkeypatch):
    fs = _filtered(crowd.admin.user, {})
    with CaptureQueriesContext(connection) as ctx:
        selectors.DirectoryPaginator(fs.qs, 4).get_page(2)
    assert "ARRAY(" in ctx.captured_queries[-1]["sql"]  # short: collected as an id array
    monkeypatch.setattr(selectors.DirectoryPaginator, "COLLECT_LIMIT", 3)
    got, expected = _pages(fs)
    assert got == expected
    with CaptureQueriesContext(connection) as ctx:
        selectors.DirectoryPaginator(fs.qs, 4).get_page(2)
    assert "ARRAY(" not in ctx.captured_queries[-1]["sql"]


def test_a_name_search_reads_its_total_with_the_page_and_an_empty_page_counts(crowd):
    fs = _filtered(crowd.admin.user, {"q": "siregar"})
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.DirectoryPaginator(fs.qs, 4, name_search=True).get_page("junk")
    assert page.number == 1 and page.paginator.count == 7 and len(ctx.captured_queries) == 2
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.DirectoryPaginator(fs.qs, 4, name_search=True).get_page(99)
    assert page.number == 2 and len(page.object_list) == 3 and len(ctx.captured_queries) == 3
    fs = _filtered(crowd.admin.user, {"q": "nobody-like-this"})
    page = selectors.DirectoryPaginator(fs.qs, 4, name_search=True).get_page(1)
    assert page.paginator.count == 0 and list(page.object_list) == []


def test_filter_sets_share_no_state_between_requests(org):
    """Each filter set has its own filters and fields: the unit choices of one user never reach another's."""
    admin = _filtered(org.admin.user, {"q": "Staf"})
    head = _filtered(org.head.user, {})
    assert admin.filters["q"] is not EmployeeFilterSet.base_filters["q"]
    assert admin.filters["unit"].extra is not head.filters["unit"].extra
    assert admin.form.fields["unit"] is not head.form.fields["unit"]
    admin_units = {pk for pk, _label in admin.form.fields["unit"].choices if pk}
    head_units = {pk for pk, _label in head.form.fields["unit"].choices if pk}
    assert head_units < admin_units
    assert {e.name for e in admin.qs} >= {"Staf Satu", "Staf Dua", "Staf Bidang"}
    assert all(e.name.startswith("Staf") for e in admin.qs)
    assert "queryset" not in EmployeeFilterSet.base_filters["unit"].extra or callable(
        EmployeeFilterSet.base_filters["unit"].extra["queryset"]
    )
    unbound = EmployeeFilterSet(QueryDict(), request=None)
    assert unbound.is_bound and unbound.queryset.model is selectors.Employee


def _scope_cleared(user):
    """The user object afresh (its scope is cached on it)."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("who", ["admin", "head", "bidang_head", "foreign_admin", "superuser", "head_and_admin"])
def test_the_filter_bar_lists_the_units_and_ranks_of_the_orm_querysets(crowd, who):
    """`FilterOptions` (the unit and rank options read in one round trip of precompiled statements) gives the rows
    the fields' own querysets give, in their order, for every kind of scope: an admin's agency, a head's
    subtrees, another agency, everything, and a head who also administers another agency."""
    from django.contrib.auth import get_user_model

    from people.filters import FilterOptions, _units
    from people.models import AgencyRole, OrgUnit, Rank
    from tests.people.factories import OrgUnitFactory

    OrgUnitFactory(agency=crowd.dinas.agency, parent=crowd.bidang, name='Seksi <"A&B">')  # deeper, escaped name
    if who == "superuser":
        user = get_user_model().objects.create_superuser("root-options", "root@example.org", "x")
    elif who == "head_and_admin":
        user = crowd.head.user
        AgencyRole.objects.create(user=user, agency=crowd.other_agency, role="hr_admin")
    else:
        user = getattr(crowd, who).user
    user = _scope_cleared(user)
    request = RequestFactory().get("/pegawai/")
    request.user = user
    options = FilterOptions(user)
    expected_units = list(_units(request).values_list("pk", "name", "depth", "path"))
    assert options.units() == expected_units and expected_units
    assert options.ranks() == list(Rank.objects.values_list("pk", "code", "name")) and options.ranks()
    all_units = set(OrgUnit.objects.values_list("pk", flat=True))
    if who == "superuser":
        assert {pk for pk, _n, _d, _p in expected_units} == all_units
    elif who in ("head", "bidang_head"):
        assert len(expected_units) < len(all_units)
    # the form's choices are these rows (one query for both lists), and they stay the ORM's when no user is known
    fs = _filtered(user, {})
    with CaptureQueriesContext(connection) as ctx:
        unit_choices = list(iter(fs.form.fields["unit"].choices))  # iterated as the filter bar does (no len())
        rank_choices = list(iter(fs.form.fields["rank"].choices))
    assert len(ctx.captured_queries) == 1
    assert [str(getattr(v, "value", v)) for v, _t in unit_choices[1:]] == [str(pk) for pk, _n, _d, _p in expected_units]
    assert [str(getattr(v, "value", v)) for v, _t in rank_choices[1:]] == [str(pk) for pk, _c, _n in options.ranks()]
    anonymous = EmployeeFilterSet(QueryDict(), queryset=selectors.employee_directory(user=user), request=None)
    assert not hasattr(anonymous.form.fields["unit"], "option_rows")
    request = RequestFactory().get("/api/v1/employees/")
    request.user = user
    no_bar = EmployeeFilterSet(QueryDict(), queryset=selectors.employee_directory(user=user), request=request)
    assert not hasattr(no_bar.form.fields["unit"], "option_rows")  # the API and the exports: the fields' own reads


def test_the_unit_options_markup_follows_the_units(crowd):
    """The filter bar's unit options are kept by the rows they are made of (`options_key`): a renamed unit or a new
    one shows on the next page, each user gets the options of their own scope, the choice is marked."""
    from django.utils.html import escape

    from asn_portal.templatetags.portal import filter_field
    from people.filters import _units
    from tests.people.factories import OrgUnitFactory

    def bar(user, params):
        request = RequestFactory().get("/pegawai/", params)
        request.user = user
        fs = _filtered(user, params)
        expected = "".join(
            f'<option value="{pk}"{" selected" if str(pk) == params.get("unit", "") else ""}>'
            f"{escape('— ' * depth + name)}</option>"
            for pk, name, depth in _units(request).values_list("pk", "name", "depth")
        )
        return str(filter_field(fs.form["unit"])), expected

    admin, head = _scope_cleared(crowd.admin.user), _scope_cleared(crowd.head.user)
    markup, expected = bar(admin, {})
    assert expected in markup and "Bidang Pelayanan" in markup
    crowd.bidang.name = "Bidang <Baru> & Lama"
    crowd.bidang.save()
    OrgUnitFactory(agency=crowd.dinas.agency, parent=crowd.dinas, name="Seksi Tambahan")
    for user in (admin, _scope_cleared(crowd.admin.user), head):
        for params in ({}, {"unit": str(crowd.bidang.pk)}):
            markup, expected = bar(user, params)
            assert expected in markup
            assert "Bidang &lt;Baru&gt; &amp; Lama" in markup and "Seksi Tambahan" in markup
    assert "Dinas Pendidikan" in bar(admin, {})[0] and "Dinas Pendidikan" not in bar(head, {})[0]


@pytest.mark.parametrize("who", ["admin", "head", "foreign_admin"])
def test_the_chosen_unit_is_checked_against_the_listed_units_like_the_queryset_did(crowd, who):
    """The unit filter's value is found among the option rows (no query of its own): a listed unit filters its
    subtree exactly as the ORM-found unit did, anything else (another agency's or head's unit, junk, a number
    out of range) is the same "invalid choice" error the field's queryset gave."""
    from people.filters import UnitChoiceField

    user = _scope_cleared(getattr(crowd, who).user)
    for value in [crowd.dinas.pk, crowd.bidang.pk, crowd.other_dinas.pk, "abc", "99999999", " 1", "1.0", ""]:
        params = {"unit": str(value)}
        request = RequestFactory().get("/pegawai/", params)
        request.user = user
        qs = selectors.employee_directory(user=user)
        fast = EmployeeFilterSet(request.GET.copy(), queryset=qs, request=request, filter_bar=True)
        plain = EmployeeFilterSet(request.GET.copy(), queryset=qs, request=request, filter_bar=True)
        plain_field = plain.form.fields["unit"]
        del plain_field.option_rows  # the field's own queryset lookup
        assert isinstance(fast.form.fields["unit"], UnitChoiceField) and hasattr(
            fast.form.fields["unit"], "option_rows"
        )
        assert fast.is_valid() == plain.is_valid(), value
        assert fast.errors == plain.errors
        if fast.is_valid():
            assert list(fast.qs.values_list("pk", flat=True)) == list(plain.qs.values_list("pk", flat=True))
            chosen = fast.form.cleaned_data["unit"]
            assert chosen is None or (chosen.path, chosen.pk) == (plain.form.cleaned_data["unit"].path, int(value))
