"""Registries that let higher apps plug into shared pages without lower layers importing them.

Each app registers its pieces in its AppConfig.ready() (the way django.contrib.admin autodiscovers
admin.py): menu entries, home-page cards, profile panels, demo-data seeders and timeline sources.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# Role names (glossary.md): every signed-in employee is "staff"; "head" heads at least one unit;
# "hr_admin" administers an agency (BKD); "committee" sits on the Tim Penilai Kinerja.
STAFF = "staff"
HEAD = "head"
HR_ADMIN = "hr_admin"
COMMITTEE = "committee"
SUPERUSER = "superuser"


@dataclass(frozen=True)
class NavItem:
    """A menu entry; `roles=None` means every signed-in user."""

    label: Any
    url_name: str
    icon: str = "circle"
    roles: frozenset[str] | None = None
    order: int = 100
    section: str = "main"
    # Key of the menu group (NAV_GROUPS) the entry sits in; "" keeps it a top-level link.
    group: str = ""

    @property
    def href(self) -> str:
        """The entry's URL, reversed once per process (menu URLs take no arguments): the shell renders up to
        twenty of them on every page."""
        from django.urls import get_script_prefix

        return _menu_url(self.url_name, get_script_prefix())


@functools.lru_cache(maxsize=512)
def _menu_url(url_name: str, script_prefix: str) -> str:
    from django.urls import reverse

    return reverse(url_name)


@dataclass(frozen=True)
class NavGroup:
    """A top-level menu entry that opens a dropdown of NavItems."""

    key: str
    label: Any
    icon: str
    order: int


# The navbar shows at most these groups (plus "Beranda"), so no role sees more than 7 top-level entries.
NAV_GROUPS = {
    g.key: g
    for g in (
        NavGroup("me", _("Saya"), "person", 10),
        NavGroup("team", _("Tim"), "people", 20),
        NavGroup("org", _("Organisasi"), "diagram-3", 30),
        NavGroup("development", _("Pengembangan"), "mortarboard", 40),
        NavGroup("promotion", _("Kenaikan pangkat"), "arrow-up-circle", 50),
        NavGroup("agency", _("Instansi"), "building", 60),
    )
}


@dataclass
class NavEntry:
    """One top-level navbar entry for a request: a link (`item`) or a group with `children`."""

    label: Any
    icon: str
    item: NavItem | None = None
    children: list[NavItem] = field(default_factory=list)
    key: str = ""
    active: bool = False
    active_url_name: str = ""


@dataclass(frozen=True)
class Panel:
    """A block on a composed page (home, employee profile). `render` returns the template context
    for `template`, or None to hide the panel for this request."""

    key: str
    template: str
    render: Callable[..., dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class Seeder:
    """A demo-data step; `run(ctx)` receives the shared DemoContext (see people.demo)."""

    key: str
    run: Callable[[Any], None]
    order: int = 100
    # Keys of the seeders whose data this one reads. None: every earlier seeder. A seeder that names its
    # inputs may run alongside the seeders before it that it does not need (seed_demo), and then draws from
    # its own random stream (seeded by the seed and its key) so the data is the same either way.
    needs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DataSection:
    """One kind of personal data in an employee's copy of their data (UU PDP Pasal 7/13): `export(employee)`
    returns JSON-ready rows (see asn_portal.personal_data.rows); written as `<key>.json` in the ZIP."""

    key: str
    label: Any
    export: Callable[[Any], list[dict[str, Any]]]
    order: int = 100


@dataclass
class _Registry:
    nav: list[NavItem] = field(default_factory=list)
    home_cards: list[Panel] = field(default_factory=list)
    profile_panels: list[Panel] = field(default_factory=list)
    seeders: list[Seeder] = field(default_factory=list)
    timeline_sources: list[Callable[..., Iterable[dict[str, Any]]]] = field(default_factory=list)
    # Reads a timeline source makes of one employee (`shared` key -> a precompiled `values_list` statement of one
    # `employee_id` parameter): the timeline runs them in its own round trip (`timeline_reads_pending`).
    timeline_reads: dict[str, Any] = field(default_factory=dict)
    personal_data_sections: list[DataSection] = field(default_factory=list)
    # Scheduled jobs (Celery task names) whose task takes `agency_id` and then touches only that agency:
    # a BKD admin may "run now" only these, for their own agency. Every other job is global (superusers).
    agency_jobs: set[str] = field(default_factory=set)
    # Jobs short enough to run inside a web request when no Celery broker is configured.
    quick_jobs: set[str] = field(default_factory=set)
    # Sweeps run with the stale job-run sweep: each fails the work a dead worker left half-done (an upload
    # still "being read"…) and returns how many it marked.
    stale_sweeps: dict[str, Callable[[], int]] = field(default_factory=dict)
    # Fanned-out jobs (asn_portal.fanout): job name -> the function that does one part of it
    # (`fn(**part.params) -> counts`), run by the generic `asn_portal.tasks.job_part` task.
    job_parts: dict[str, Callable[..., dict[str, Any]]] = field(default_factory=dict)
    role_resolver: Callable[[Any], frozenset[str]] | None = None
    admin_agency_resolver: Callable[[Any], frozenset[int] | None] | None = None


registry = _Registry()

_T = TypeVar("_T")


def _add(items: list[Any], item: Any, key: str) -> None:
    # ready() may run twice in tests; registration is idempotent by key.
    items[:] = [i for i in items if getattr(i, key) != getattr(item, key)]
    items.append(item)
    items.sort(key=lambda i: i.order)


def register_nav(item: NavItem) -> None:
    _add(registry.nav, item, "url_name")


def register_home_card(panel: Panel) -> None:
    _add(registry.home_cards, panel, "key")


def register_profile_panel(panel: Panel) -> None:
    _add(registry.profile_panels, panel, "key")


def register_seeder(seeder: Seeder) -> None:
    _add(registry.seeders, seeder, "key")


def register_personal_data_section(section: DataSection) -> None:
    _add(registry.personal_data_sections, section, "key")


def register_timeline_source(source: Callable[..., Iterable[dict[str, Any]]]) -> None:
    if source not in registry.timeline_sources:
        registry.timeline_sources.append(source)


def shared(holder: Any, key: str, compute: Callable[[], _T]) -> _T:
    """`compute()` once per `holder` and key, then the same value: how the cards and panels of one composed page
    share what they read (issue #13). On the home page the holder is the request (or the signed-in user's
    employee, `people.selectors.current_employee`); on the profile it is the employee object every panel receives,
    so the predikat, learning records or promotion outlook one panel reads are not read again by the next panel
    or by a timeline source. The key names the contract and its arguments (`"performance.predikat:2025"`)."""
    memo = holder.__dict__.setdefault("_portal_shared", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]


def register_timeline_read(key: str, statement: Any) -> None:
    """Declare that a timeline source reads `statement` (an `asn_portal.precompiled.Statement` of a `values_list`
    queryset with one `employee_id` parameter) through `shared(employee, key, …)`: the composed timeline reads it
    in the same round trip as its own lists (`rows_together`) and leaves the rows there, so the source then reads
    nothing (issue #13: one query instead of one per source)."""
    registry.timeline_reads[key] = statement


def timeline_reads_pending(employee: Any) -> list[tuple[str, Any]]:
    """(key, statement) of the registered timeline reads not yet in the employee's shared values."""
    memo = employee.__dict__.get("_portal_shared", {})
    return [(key, statement) for key, statement in registry.timeline_reads.items() if key not in memo]


def timeline_rows(employee: Any) -> list[dict[str, Any]]:
    """Rows of every registered timeline source for one employee, computed once per employee object: the
    profile's own history, its careers panel and the timeline page ask for the same rows on one request
    (issue #13). A failing source fails the page (never a silently shorter timeline)."""
    rows = shared(
        employee, "timeline_rows", lambda: [row for source in registry.timeline_sources for row in source(employee)]
    )
    return list(rows)


def register_agency_job(task_name: str) -> None:
    """Declare that `task_name(agency_id=…)` limits its work to that agency (see _Registry.agency_jobs)."""
    registry.agency_jobs.add(task_name)


def register_quick_job(task_name: str) -> None:
    registry.quick_jobs.add(task_name)


def register_job_part(job: str, run_part: Callable[..., dict[str, Any]]) -> None:
    """Declare how one part (an agency, a chunk of employees) of the fanned-out job `job` is done."""
    registry.job_parts[job] = run_part


def register_stale_sweep(key: str, sweep: Callable[[], int]) -> None:
    registry.stale_sweeps[key] = sweep


def set_role_resolver(resolver: Callable[[Any], frozenset[str]]) -> None:
    registry.role_resolver = resolver


def set_admin_agency_resolver(resolver: Callable[[Any], frozenset[int] | None]) -> None:
    """`resolver(user)` returns the agency ids the user administers, or None for "all" (superuser)."""
    registry.admin_agency_resolver = resolver


def admin_agency_ids(user: Any) -> frozenset[int] | None:
    if registry.admin_agency_resolver is None:
        raise RuntimeError("people app did not register the admin agency resolver")
    return registry.admin_agency_resolver(user)


def roles_of(user: Any) -> frozenset[str]:
    """The user's roles, computed once per user object (per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    roles = registry.role_resolver(user) if registry.role_resolver else frozenset({STAFF})
    if user.is_superuser:
        roles = roles | {SUPERUSER, HR_ADMIN}
    user._portal_roles = roles
    return roles


def nav_for(user: Any) -> list[NavItem]:
    roles = roles_of(user)
    return [i for i in registry.nav if i.roles is None or roles & i.roles]


def _active_url_name(items: list[NavItem], view_name: str) -> str:
    """The entry for the current page: its own url name, else the one entry of the same app namespace."""
    if any(i.url_name == view_name for i in items):
        return view_name
    namespace = view_name.rpartition(":")[0]
    same_app = [i for i in items if namespace and i.url_name.rpartition(":")[0] == namespace]
    return same_app[0].url_name if len(same_app) == 1 else ""


def nav_entries(user: Any, view_name: str = "") -> list[NavEntry]:
    """The user's menu grouped into dropdowns; a group holding a single entry collapses into a link."""
    items = nav_for(user)
    active = _active_url_name(items, view_name or "")
    entries: list[tuple[int, NavEntry]] = []
    groups: dict[str, NavEntry] = {}
    for item in items:
        group = NAV_GROUPS.get(item.group)
        if group is None:
            entries.append((item.order, NavEntry(item.label, item.icon, item=item, key=item.url_name)))
            continue
        if group.key not in groups:
            groups[group.key] = NavEntry(group.label, group.icon, key=group.key)
            entries.append((group.order, groups[group.key]))
        groups[group.key].children.append(item)
    out = []
    for _order, entry in sorted(entries, key=lambda e: e[0]):
        if len(entry.children) == 1:
            only = entry.children[0]
            entry = NavEntry(only.label, only.icon, item=only, key=only.url_name)
        members = entry.children or ([entry.item] if entry.item else [])
        entry.active = any(i.url_name == active for i in members)
        entry.active_url_name = active
        out.append(entry)
    return out


def render_panels(panels: list[Panel], request: HttpRequest, **kwargs: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every panel's context for this request, read live (nothing time-cached: a BKD admin's agency-wide cards
    read summary rows kept current on change, `asn_portal.summaries`)."""
    out = []
    for panel in panels:
        ctx = panel.render(request, **kwargs)
        if ctx is not None:
            out.append((panel.template, ctx))
    return out
