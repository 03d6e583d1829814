"""Forms of the privacy pages (issue #16): the access-report filter and the purpose of a personal-data export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import AccessPart


class AccessReportForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    viewer = forms.CharField(label=gettext_lazy("Pengakses (nama/akun)"), required=False, max_length=100)
    part = forms.ChoiceField(
        label=gettext_lazy("Bagian data"),
        required=False,
        choices=[("", gettext_lazy("Semua bagian")), *AccessPart.choices],
    )
    unusual = forms.BooleanField(label=gettext_lazy("Hanya pola tidak biasa"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        until = data.get("date_to") or today
        since = data.get("date_from") or until - dt.timedelta(days=29)
        if since > until:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        max_days = settings.ACCESS_LOG_REPORT_MAX_DAYS
        if (until - since).days + 1 > max_days:
            raise forms.ValidationError(_("Rentang laporan paling lama %(n)d hari.") % {"n": max_days})
        data["since"], data["until"] = since, until
        return data


def report_filters(data: dict[str, Any]) -> dict[str, Any]:
    """The cleaned filter as keyword arguments of `access_selectors.access_report` (page, CSV and API)."""
    from .access_selectors import ReportWindow

    return {
        "window": ReportWindow(data["since"], data["until"]),
        "viewer": data.get("viewer") or "",
        "part": data.get("part") or "",
        "unusual_only": bool(data.get("unusual")),
    }


class ExportPurposeForm(forms.Form):
    """The stated purpose of an export that holds personal fields (birth data, contacts): required, logged."""

    purpose = forms.CharField(
        label=gettext_lazy("Tujuan ekspor data pribadi"),
        min_length=10,
        max_length=300,
        error_messages={
            "required": gettext_lazy("Sebutkan tujuan ekspor data pribadi (dicatat pada log akses)."),
            "min_length": gettext_lazy("Tujuan ekspor terlalu singkat: jelaskan untuk apa data ini dipakai."),
        },
    )
