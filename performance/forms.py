"""Forms of the SKP pages. Shape only: business decisions are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from asn_portal.uploads import UploadFormField, UploadKind
from performance.plans.services import IndicatorInput, ResultInput

from .choices import Approach, Aspect, Expectation, PeriodKind, Perspective, Predikat, ResultKind, UnitRating

ASPECTS = [(a.value, a.label) for a in Aspect]


class PlanHeaderForm(forms.Form):
    approach = forms.ChoiceField(label=_("Pendekatan"), choices=Approach.choices)


class ResultForm(forms.Form):
    """One RHK with one IKI slot per aspect (kuantitas, kualitas, waktu, biaya), as in the official form."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Jenis RHK"), choices=ResultKind.choices)
    text = forms.CharField(label=_("Rencana hasil kerja"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    parent_result = forms.TypedChoiceField(
        label=_("RHK atasan yang diintervensi"), required=False, coerce=int, empty_value=None
    )
    perspective = forms.ChoiceField(label=_("Perspektif"), choices=[("", "–"), *Perspective.choices], required=False)

    def __init__(self, *args: Any, parent_choices: list[tuple[Any, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("– tidak ada –")), *(parent_choices or [])]
        self.fields["parent_result"].choices = choices  # type: ignore[attr-defined]
        for value, label in ASPECTS:
            self.fields[f"{value}_text"] = forms.CharField(label=_("IKI %(a)s") % {"a": label}, required=False)
            self.fields[f"{value}_target"] = forms.CharField(label=_("Target"), required=False, max_length=120)
            self.fields[f"{value}_unit"] = forms.CharField(label=_("Satuan"), required=False, max_length=40)

    def aspect_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [(label, self[f"{v}_text"], self[f"{v}_target"], self[f"{v}_unit"]) for v, label in ASPECTS]

    def to_input(self) -> ResultInput | None:
        data = self.cleaned_data
        if not data or data.get("DELETE"):
            return None
        indicators = [
            IndicatorInput(
                v, data.get(f"{v}_text", "").strip(), data.get(f"{v}_target", "").strip(), data.get(f"{v}_unit", "")
            )
            for v, _label in ASPECTS
            if data.get(f"{v}_text", "").strip() or data.get(f"{v}_target", "").strip()
        ]
        text = (data.get("text") or "").strip()
        if not text and not indicators:
            return None
        return ResultInput(
            kind=data["kind"],
            text=text,
            parent_result_id=data.get("parent_result"),
            perspective=data.get("perspective") or "",
            id=data.get("id"),
            indicators=indicators,
        )


ResultFormSet = formset_factory(ResultForm, extra=1, can_delete=True)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Catatan perbaikan"), widget=forms.Textarea(attrs={"rows": 3}))


class ExpectationsForm(forms.Form):
    expectations = forms.CharField(
        label=_("Ekspektasi pimpinan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FeedbackForm(forms.Form):
    target = forms.ChoiceField(label=_("Tentang"))
    text = forms.CharField(label=_("Umpan balik"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, targets: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets or []  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Periode"), coerce=int)
    # No rating is pre-selected: the appraiser must choose each one (a blank first option, required).
    result_rating = forms.ChoiceField(
        label=_("Rating hasil kerja"), choices=[("", _("— pilih rating —")), *Expectation.choices]
    )
    behaviour_rating = forms.ChoiceField(
        label=_("Rating perilaku kerja"), choices=[("", _("— pilih rating —")), *Expectation.choices]
    )
    comment = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, periods: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.pk, p.name) for p in periods or []]  # type: ignore[attr-defined]


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan keberatan"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Keputusan"),
        choices=[("0", _("Tolak keberatan")), ("1", _("Terima keberatan"))],
        coerce=lambda v: v == "1",
    )
    new_predikat = forms.ChoiceField(label=_("Predikat baru"), choices=[("", "–"), *Predikat.choices], required=False)
    decision = forms.CharField(label=_("Pertimbangan"), widget=forms.Textarea(attrs={"rows": 3}))


class PeriodConfigForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2020, max_value=2100)
    kind = forms.ChoiceField(label=_("Periode evaluasi"), choices=PeriodKind.choices)
    objection_window_days = forms.IntegerField(label=_("Batas keberatan (hari)"), min_value=1, max_value=90)
    reminder_days_before = forms.IntegerField(label=_("Pengingat sebelum tutup (hari)"), min_value=1, max_value=30)


class UnitRatingForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(label=_("Predikat organisasi"), choices=UnitRating.choices)
    note = forms.CharField(label=_("Dasar penetapan"), required=False, max_length=500)


class CalibrationFinaliseForm(forms.Form):
    justification = forms.CharField(
        label=_("Justifikasi (wajib bila distribusi menyimpang)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class CascadeForm(forms.Form):
    employees = forms.TypedMultipleChoiceField(
        label=_("Bawahan penerima"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(label=_("Rumusan RHK bawahan (opsional)"), required=False)

    def __init__(self, *args: Any, employees: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employees"].choices = employees or []  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = UploadFormField(kind=UploadKind.IMPORT, label=_("Berkas CSV/XLSX (kolom: NIP, Tahun, Predikat)"))
