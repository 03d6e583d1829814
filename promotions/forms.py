from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from asn_portal.uploads import UploadFormField, UploadKind
from asn_portal.widgets import IsoDateInput
from people.forms import PositionChoiceField
from people.models import Position

from .choices import DocumentKind


class ProposeForm(forms.Form):
    employee = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Alasan pengecualian (wajib bila belum memenuhi syarat)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    late_reason = forms.CharField(
        label=_("Alasan usulan terlambat (wajib setelah masa usulan ditutup)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentKind.choices)
    file = UploadFormField(kind=UploadKind.DOCUMENT, label=_("Berkas (PDF, JPEG atau PNG)"))


class ApproveForm(forms.Form):
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    decree_date = forms.DateField(label=_("Tanggal SK"), required=False, widget=IsoDateInput())


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class _FetchedChoiceIterator(ModelChoiceIterator):
    """The picker's options from one plain fetch of the queryset (kept on it for the request), not the
    server-side cursor `iterator()` opens: three round trips (DECLARE, FETCH, CLOSE) for a dozen free posts."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _VacancyPositionField(PositionChoiceField):
    iterator = _FetchedChoiceIterator


class VacancyForm(forms.Form):
    position: forms.ModelChoiceField[Any] = _VacancyPositionField(label=_("Jabatan"), queryset=Position.objects.none())
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, positions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    employee = forms.IntegerField(widget=forms.HiddenInput)
    justification = forms.CharField(
        label=_("Justifikasi (wajib bila bukan peringkat pertama)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppointForm(forms.Form):
    start_date = forms.DateField(label=_("TMT jabatan"), required=False, widget=IsoDateInput())
    decree_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    decree_date = forms.DateField(label=_("Tanggal SK"), required=False, widget=IsoDateInput())
