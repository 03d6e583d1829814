"""Input shape of a correction proposal (page form); the service validates the values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asn_portal.uploads import UploadFormField, UploadKind

from ..choices import EducationLevel


class CorrectionForm(forms.Form):
    """Identity fields prefilled with the record; a history entry may be picked and corrected."""

    front_title = forms.CharField(label=_("Gelar depan"), required=False, max_length=40)
    name = forms.CharField(label=_("Nama"), max_length=150)
    back_title = forms.CharField(label=_("Gelar belakang"), required=False, max_length=60)
    birth_place = forms.CharField(label=_("Tempat lahir"), required=False, max_length=80)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    education_level = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=EducationLevel.choices)
    education_field = forms.CharField(label=_("Jurusan"), required=False, max_length=120)
    history_entry = forms.TypedChoiceField(
        label=_("Riwayat jabatan yang diperbaiki"), required=False, coerce=int, empty_value=None
    )
    history_position_title = forms.CharField(label=_("Nama jabatan"), required=False, max_length=200)
    history_start_date = forms.DateField(label=_("TMT"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    history_decree_number = forms.CharField(label=_("Nomor SK"), required=False, max_length=100)
    reason = forms.CharField(label=_("Alasan perbaikan"), widget=forms.Textarea(attrs={"rows": 3}))
    document = UploadFormField(label=_("Dokumen pendukung"), kind=UploadKind.DOCUMENT)

    IDENTITY = ("front_title", "name", "back_title", "birth_place", "birth_date", "education_level", "education_field")

    def __init__(self, *args: Any, employee: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {f: getattr(employee, f) for f in self.IDENTITY})
        super().__init__(*args, **kwargs)
        entries = list(employee.position_history.order_by("-start_date"))
        choices = [("", _("– tidak ada –"))] + [
            (e.pk, f"{e.position_title} ({e.start_date:%d-%m-%Y})") for e in entries
        ]
        self.fields["history_entry"].choices = choices  # type: ignore[attr-defined]

    def proposal(self) -> dict[str, Any]:
        data: dict[str, Any] = {f: self.cleaned_data.get(f) for f in self.IDENTITY}
        entry = self.cleaned_data.get("history_entry")
        if entry:
            item: dict[str, Any] = {"id": entry}
            for f in ("position_title", "start_date", "decree_number"):
                value = self.cleaned_data.get(f"history_{f}")
                if value not in (None, ""):
                    item[f] = value
            data["position_history"] = [item]
        return data


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan keputusan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
