"""Forms of the people pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asn_portal.uploads import UploadFormField, UploadKind
from asn_portal.widgets import IsoDateInput, SearchableSelect

from .choices import EducationLevel, EmployeeStatus, EmploymentType, Gender, ImportKind, PositionType
from .models import Agency, OrgUnit, Position, Rank
from .permissions import admin_agency_ids


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis data"), choices=ImportKind.choices)
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=Agency.objects.none())
    file = UploadFormField(
        kind=UploadKind.IMPORT,
        label=_("Berkas CSV atau XLSX"),
        help_text=_("Gunakan templat agar susunan kolom sesuai."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = admin_agency_ids(user)
        qs = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
        self.fields["agency"].queryset = qs  # type: ignore[attr-defined]
        if qs.count() == 1:
            self.fields["agency"].initial = qs.first()
            self.fields["agency"].widget = forms.HiddenInput()


class ImportConfirmForm(forms.Form):
    only_valid = forms.BooleanField(label=_("Impor hanya baris valid (baris yang ditolak dilewati)"), required=False)


DateInput = IsoDateInput


_POSITION_KINDS = dict(PositionType.choices)  # lazy labels: translated when shown


class PositionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A position picker: many posts share a title, so each option names its unit and type, and the list
    searches as you type (Tom Select)."""

    widget = SearchableSelect

    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(None if queryset is None else queryset.select_related("unit"))  # type: ignore[misc]

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[assignment,attr-defined]

    def label_from_instance(self, obj: Any) -> str:
        # The enum's label, not get_kind_display(): that rebuilds the field's choice map for every option.
        return f"{obj.title} · {obj.unit.name} · {_POSITION_KINDS.get(obj.kind, obj.kind)}"


class EmployeeForm(forms.Form):
    """Create/edit an employee (BKD admins). Choices are limited to the agencies the user administers;
    the NIP rule and history bookkeeping live in the service."""

    nip = forms.CharField(label=_("NIP"), max_length=30, help_text=_("18 digit; spasi antar-kelompok boleh."))
    front_title = forms.CharField(label=_("Gelar depan"), max_length=40, required=False)
    name = forms.CharField(label=_("Nama tanpa gelar"), max_length=150)
    back_title = forms.CharField(label=_("Gelar belakang"), max_length=60, required=False)
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=Gender.choices)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=80, required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DateInput())
    employment_type = forms.ChoiceField(label=_("Jenis kepegawaian"), choices=EmploymentType.choices)
    education_level = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=EducationLevel.choices)
    education_field = forms.CharField(label=_("Jurusan"), max_length=120, required=False)
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=OrgUnit.objects.none())
    position = PositionChoiceField(label=_("Jabatan"), queryset=Position.objects.none(), required=False)
    position_start_date = forms.DateField(label=_("TMT jabatan"), widget=DateInput(), required=False)
    rank = forms.ModelChoiceField(label=_("Pangkat/golongan"), queryset=Rank.objects.all(), required=False)
    rank_start_date = forms.DateField(label=_("TMT pangkat"), widget=DateInput(), required=False)
    cpns_date = forms.DateField(label=_("TMT CPNS"), widget=DateInput(), required=False)
    pns_date = forms.DateField(label=_("TMT PNS"), widget=DateInput(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=EmployeeStatus.choices)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = admin_agency_ids(user)
        units = OrgUnit.objects.filter(is_active=True).select_related("agency").order_by("agency__name", "path")
        positions = Position.objects.filter(is_active=True).select_related("unit").order_by("unit__path", "title")
        if ids is not None:
            units, positions = units.filter(agency_id__in=ids), positions.filter(agency_id__in=ids)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["position"].queryset = positions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        position, unit = data.get("position"), data.get("unit")
        if position is not None and unit is not None and position.agency_id != unit.agency_id:
            self.add_error("position", _("Jabatan berada di instansi lain."))
        if data.get("rank") is not None and not data.get("rank_start_date"):
            self.add_error("rank_start_date", _("TMT pangkat wajib diisi bila pangkat diisi."))
        return data
