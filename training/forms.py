"""Input shapes for training pages (crispy-forms, Bootstrap 5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from people.choices import PositionType
from people.models import Employee

from .choices import CourseFormat, QuestionKind
from .models import Course, CourseCompetency, CourseOffering, Question

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CourseForm(forms.ModelForm):
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

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        agency_id = self.agency_id
        if agency_id and Course.objects.filter(agency_id=agency_id, code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Kode pelatihan %(code)s sudah dipakai di instansi ini.") % {"code": code})
        return str(code)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        jp = data.get("jp")
        from . import rules

        if jp is not None and (problem := rules.jp_problem(jp)):
            self.add_error("jp", problem)
        lo, hi = data.get("min_rank"), data.get("max_rank")
        if lo and hi and lo.order > hi.order:
            self.add_error("max_rank", _("Pangkat maksimum harus di atas pangkat minimum."))
        fmt, mode = data.get("format"), data.get("mode")
        if fmt and mode and rules.mode_for_format(fmt) != mode:
            self.add_error("mode", _("Bentuk ini termasuk jalur %(m)s.") % {"m": rules.mode_for_format(fmt)})
        return data


CourseCompetencyFormSet = inlineformset_factory(
    Course, CourseCompetency, fields=["competency", "target_level"], extra=2, can_delete=True
)


class OfferingForm(forms.ModelForm):
    class Meta:
        model = CourseOffering
        fields = [
            "course",
            "name",
            "start_date",
            "end_date",
            "location",
            "online_url",
            "capacity",
            "enrol_open",
            "enrol_close",
            "trainer",
            "requires_approval",
            "status",
        ]
        widgets = dict.fromkeys(("start_date", "end_date", "enrol_open", "enrol_close"), DATE)

    def __init__(self, *args: Any, agency_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency_id:
            self.fields["course"].queryset = Course.objects.filter(agency_id=agency_id, is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        s, e, o, c = data.get("start_date"), data.get("end_date"), data.get("enrol_open"), data.get("enrol_close")
        if s and e and e < s:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if o and c and c < o:
            self.add_error("enrol_close", _("Penutupan pendaftaran tidak boleh sebelum pembukaannya."))
        if c and s and c > s:
            self.add_error("enrol_close", _("Pendaftaran harus ditutup paling lambat pada hari pelatihan dimulai."))
        cap = data.get("capacity")
        if cap is not None and cap < 1:
            self.add_error("capacity", _("Kuota minimal 1 peserta."))
        if cap is not None and self.instance.pk and cap < self.instance.seats_taken:
            self.add_error("capacity", _("Kuota tidak boleh di bawah jumlah peserta terdaftar."))
        if not data.get("location") and not data.get("online_url"):
            self.add_error("location", _("Isi tempat atau tautan daring."))
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
    certificate_file = forms.FileField(label=_("Berkas sertifikat (PDF/JPG)"), required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(forms.Form):
    certificate_number = forms.CharField(label=_("Nomor sertifikat"), max_length=100, required=False)
    completed_on = forms.DateField(label=_("Tanggal lulus"), required=False, widget=DATE)
    score = forms.DecimalField(label=_("Nilai"), required=False, min_value=0, max_value=100, decimal_places=2)


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
