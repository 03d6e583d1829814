"""The people app's and the shared app's personal-data sections (registered in AppConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from asn_portal import registry
from asn_portal.personal_data import rows


def _identity(employee: Any) -> list[dict[str, Any]]:
    from people.models import Employee

    qs = Employee.objects.filter(pk=employee.pk).select_related(
        "agency", "unit", "position", "rank", "supervisor_override", "user"
    )
    return rows(qs)


def _positions(employee: Any) -> list[dict[str, Any]]:
    return rows(employee.position_history.select_related("position", "employee").order_by("start_date", "pk"))


def _ranks(employee: Any) -> list[dict[str, Any]]:
    return rows(employee.rank_history.select_related("rank", "employee").order_by("start_date", "pk"))


def _sanctions(employee: Any) -> list[dict[str, Any]]:
    return rows(employee.sanctions.select_related("employee").order_by("start_date", "pk"))


def _corrections(employee: Any) -> list[dict[str, Any]]:
    return rows(employee.corrections.select_related("employee", "agency", "submitted_by", "decided_by"))


def _notifications(employee: Any) -> list[dict[str, Any]]:
    from asn_portal.models import Notification

    if not employee.user_id:
        return []
    return rows(Notification.objects.filter(user_id=employee.user_id).select_related("user").order_by("created_at"))


def _audit(employee: Any) -> list[dict[str, Any]]:
    """Decisions recorded on the person's own record; the acting official is named (who decided is part of
    the information the subject is entitled to, UU PDP Pasal 5)."""
    from asn_portal.models import AuditEntry

    qs = AuditEntry.objects.filter(object_type="people.employee", object_id=str(employee.pk)).select_related("actor")
    return rows(qs.order_by("created_at"), exclude=("agency_id",))


def register() -> None:
    add = registry.register_personal_data_section
    add(registry.DataSection("people.identity", _("Identitas pegawai"), _identity, order=10))
    add(registry.DataSection("people.position_history", _("Riwayat jabatan"), _positions, order=11))
    add(registry.DataSection("people.rank_history", _("Riwayat pangkat"), _ranks, order=12))
    add(registry.DataSection("people.sanctions", _("Hukuman disiplin"), _sanctions, order=13))
    add(registry.DataSection("people.corrections", _("Usulan pemutakhiran data"), _corrections, order=14))
    add(registry.DataSection("asn_portal.notifications", _("Notifikasi"), _notifications, order=900))
    add(registry.DataSection("asn_portal.audit", _("Jejak audit atas data Anda"), _audit, order=901))
