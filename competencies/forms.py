"""Input shapes for competency pages (crispy forms, Indonesian labels)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asn_portal.uploads import UploadFormField, UploadKind
from asn_portal.widgets import IsoDateInput
from people.choices import FunctionalLevel, PositionType

from . import services
from .choices import LEVEL_CHOICES, AssessmentMethod, AssessmentPurpose
from .models import Competency, DefaultRequirementLevel

LEVEL_OR_EMPTY = [("", "–"), *[(str(v), label) for v, label in LEVEL_CHOICES]]


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = list(services.COMPETENCY_FIELDS)  # exactly what the service writes
        widgets = {f"level_{i}": forms.Textarea(attrs={"rows": 2}) for i in range(1, 6)} | {
            "definition": forms.Textarea(attrs={"rows": 3})
        }


class AssessmentForm(forms.Form):
    """Assessment entry: employee by NIP, date, purpose, method, assessor and a level per competency."""

    nip = forms.CharField(label=_("NIP pegawai"), max_length=21)
    assessed_on = forms.DateField(label=_("Tanggal asesmen"), widget=IsoDateInput())
    purpose = forms.ChoiceField(label=_("Tujuan"), choices=AssessmentPurpose.choices)
    method = forms.ChoiceField(label=_("Metode"), choices=AssessmentMethod.choices)
    assessor = forms.CharField(label=_("Asesor/lembaga"), max_length=200, required=False)
    evidence = forms.CharField(label=_("Bukti/catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, competencies: list[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        for c in competencies:
            self.fields[f"level_{c.pk}"] = forms.TypedChoiceField(
                label=f"{c.code} · {c.name}", choices=LEVEL_OR_EMPTY, required=False, coerce=int, empty_value=None
            )

    def clean_assessed_on(self) -> Any:
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal asesmen tidak boleh di masa depan."))
        return value

    def levels(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"level_{c.pk}"]
            for c in self.competencies
            if self.cleaned_data.get(f"level_{c.pk}") is not None
        }


class RequirementForm(forms.Form):
    """The standard of one post: a level (or none) per competency."""

    def __init__(
        self, *args: Any, competencies: list[Competency], initial_levels: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        for c in competencies:
            self.fields[f"level_{c.pk}"] = forms.TypedChoiceField(
                label=f"{c.code} · {c.name}",
                choices=LEVEL_OR_EMPTY,
                required=False,
                coerce=int,
                empty_value=None,
                initial=initial_levels.get(c.pk),
            )

    def levels(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"level_{c.pk}") for c in self.competencies}


class BulkDefaultsForm(forms.Form):
    position_kind = forms.ChoiceField(
        label=_("Jenis jabatan"), choices=[("", _("Semua jenis")), *PositionType.choices], required=False
    )
    functional_level = forms.ChoiceField(
        label=_("Jenjang fungsional"), choices=[("", _("Semua jenjang")), *FunctionalLevel.choices], required=False
    )
    level = forms.TypedChoiceField(
        label=_("Level standar"),
        choices=[("", _("Sesuai tabel bawaan")), *[(str(v), label) for v, label in LEVEL_CHOICES]],
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Kosongkan untuk memakai level bawaan per jenis jabatan. Standar yang diatur khusus per "
            "jabatan tidak ditimpa."
        ),
    )


class DefaultLevelForm(forms.ModelForm):
    class Meta:
        model = DefaultRequirementLevel
        fields = ["level", "note"]


class ImportForm(forms.Form):
    file = UploadFormField(kind=UploadKind.IMPORT, label=_("Berkas hasil asesmen (CSV/XLSX)"))
    purpose = forms.ChoiceField(label=_("Tujuan"), choices=AssessmentPurpose.choices)
    method = forms.ChoiceField(
        label=_("Metode"), choices=AssessmentMethod.choices, initial=AssessmentMethod.ASSESSMENT_CENTER
    )
    assessor = forms.CharField(label=_("Asesor/lembaga"), max_length=200, required=False)


class DeleteAssessmentForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penghapusan"), max_length=500)
