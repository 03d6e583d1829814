"""Input shapes for training pages (crispy-forms, Bootstrap 5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asn_portal.uploads import UploadFormField, UploadKind
from asn_portal.widgets import IsoDateInput
from people.choices import PositionType
from people.models import Employee
from training.catalogue.validation import OFFERING_FIELDS

from . import rules
from .choices import CourseFormat, QuestionKind
from .models import Course, CourseCompetency, CourseOffering, Question

DATE = IsoDateInput()


class CourseForm(forms.ModelForm):
    """The shape of a catalogue entry; the rules (JP range, mode, ranks, unique code) live in
    `training.catalogue.services.course_create` / `course_update`, which the API calls too."""

    eligible_position_kinds = forms.MultipleChoiceField(
        label=_("Jenis jabatan sasaran"),
        choices=PositionType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan bila terbuka untuk semua jenis jabatan."),
    )

    class Meta:
        model = Course
        fields = [
            "code",
            "title",
            "description",
            "mode",
            "format",
            "provider",
            "jp",
            "eligible_position_kinds",
            "min_rank",
            "max_rank",
            "prerequisites",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, agency_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id or self.instance.agency_id
        if agency_id:
            self.fields["prerequisites"].queryset = Course.objects.filter(agency_id=agency_id).exclude(  # type: ignore[attr-defined]
                pk=self.instance.pk or 0
            )

    def clean(self) -> dict[str, Any]:
        # Only what the model's check constraints would otherwise report in their own words; the service
        # applies the full rule set again.
        data = super().clean() or {}
        if data.get("jp") is not None and (problem := rules.jp_problem(data["jp"])):
            self.add_error("jp", problem)
        return data


CourseCompetencyFormSet = inlineformset_factory(
    Course, CourseCompetency, fields=["competency", "target_level"], extra=2, can_delete=True
)


class OfferingForm(forms.ModelForm):
    """The shape of an offering; dates, quota and course ownership are checked by `offering_create`
    / `offering_update` (shared with the API). The status is changed only through its transitions."""

    class Meta:
        model = CourseOffering
        fields = list(OFFERING_FIELDS)  # exactly what the service writes
        widgets = dict.fromkeys(("start_date", "end_date", "enrol_open", "enrol_close"), DATE)

    def __init__(self, *args: Any, agency_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency_id:
            self.fields["course"].queryset = Course.objects.filter(agency_id=agency_id, is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        # The date order is also a database constraint: say it in the rule's words before the model would.
        data = super().clean() or {}
        problems = rules.offering_dates_problems(
            enrol_open=data.get("enrol_open"),
            enrol_close=data.get("enrol_close"),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data


class ExternalLearningForm(forms.Form):
    title = forms.CharField(label=_("Judul kegiatan"), max_length=200)
    format = forms.ChoiceField(label=_("Bentuk"), choices=CourseFormat.choices)
    provider = forms.CharField(label=_("Penyelenggara"), max_length=150)
    on_date = forms.DateField(label=_("Tanggal selesai"), widget=DATE)
    hours = forms.DecimalField(label=_("Durasi (jam)"), required=False, min_value=0, max_digits=6, decimal_places=2)
    jp = forms.DecimalField(
        label=_("JP pada sertifikat"),
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text=_("Isi bila sertifikat mencantumkan JP; bila kosong JP dihitung dari durasi."),
    )
    certificate_number = forms.CharField(label=_("Nomor sertifikat"), max_length=100, required=False)
    certificate_file = UploadFormField(
        kind=UploadKind.DOCUMENT, label=_("Berkas sertifikat (PDF, JPEG atau PNG)"), required=False
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(forms.Form):
    certificate_number = forms.CharField(label=_("Nomor sertifikat"), max_length=100, required=False)
    completed_on = forms.DateField(label=_("Tanggal lulus"), required=False, widget=DATE)
    score = forms.DecimalField(
        label=pgettext_lazy("skor", "Nilai"), required=False, min_value=0, max_value=100, decimal_places=2
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NominateForm(forms.Form):
    employee: forms.ModelChoiceField[Employee] = forms.ModelChoiceField(
        label=_("Anggota tim"), queryset=Employee.objects.none()
    )

    def __init__(self, *args: Any, team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = team  # type: ignore[attr-defined]


class QuestionnaireForm(forms.Form):
    """One field per question: Likert 1–5 radios, yes/no radios or free text."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            name = str(q.pk)
            if q.kind == QuestionKind.LIKERT:
                self.fields[name] = forms.TypedChoiceField(
                    label=q.text,
                    choices=[(i, str(i)) for i in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "likert"}),
                    required=q.required,
                    help_text=_("1 = sangat tidak setuju, 5 = sangat setuju"),
                )
            elif q.kind == QuestionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=q.text,
                    choices=[("ya", _("Ya")), ("tidak", _("Tidak"))],
                    widget=forms.RadioSelect,
                    required=q.required,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=q.text, required=q.required, widget=forms.Textarea(attrs={"rows": 3})
                )
