"""Input shapes for career pages (business decisions stay in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asn_portal.widgets import IsoDateInput, SearchableSelectMultiple
from people.forms import PositionChoiceField
from people.models import Employee, Position

from . import rules
from .choices import (
    ActionKind,
    DevelopmentOpportunity,
    FollowUpStatus,
    SessionKind,
    SessionMode,
)
from .models import RecognitionType

DATE = IsoDateInput()
ITEM_ROWS = 3


class PlanForm(forms.Form):
    target_position = PositionChoiceField(label=_("Jabatan target"), queryset=Position.objects.none(), required=False)
    target_family = forms.CharField(label=_("Atau rumpun/jenis jabatan yang dituju"), max_length=120, required=False)
    horizon_years = forms.IntegerField(label=_("Jangka waktu (tahun)"), min_value=1, max_value=10, initial=2)
    aspiration = forms.CharField(label=_("Aspirasi karier"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    strengths = forms.CharField(label=_("Kekuatan saya"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, positions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if positions is not None:
            self.fields["target_position"].queryset = positions  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis kegiatan"), choices=ActionKind.choices)
    title = forms.CharField(label=_("Kegiatan"), max_length=200)
    due_date = forms.DateField(label=_("Target selesai"), widget=DATE)
    description = forms.CharField(label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PlanReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("agree", _("Sepakati rencana")), ("revise", _("Minta perbaikan"))]
    )
    comment = forms.CharField(label=_("Catatan atasan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SessionForm(forms.Form):
    mentees = forms.ModelMultipleChoiceField(
        label=_("Pegawai yang dibimbing"), queryset=Employee.objects.none(), widget=SearchableSelectMultiple
    )
    held_on = forms.DateField(label=_("Tanggal sesi"), widget=DATE)
    duration_minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=5, max_value=480, initial=60)
    mode = forms.ChoiceField(label=_("Cara"), choices=SessionMode.choices)
    kind = forms.ChoiceField(label=_("Jenis"), choices=SessionKind.choices)
    topics = forms.CharField(label=_("Topik"), max_length=300)
    shared_notes = forms.CharField(
        label=_("Catatan bersama (dilihat peserta)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    private_notes = forms.CharField(
        label=_("Catatan pribadi (hanya Anda)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # Links carried from the page the session was started from (?talent_placement=…); the service checks
    # that each belongs to someone in the session.
    planned_result = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    development_action = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    talent_placement = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, mentees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mentees is not None:
            self.fields["mentees"].queryset = mentees  # type: ignore[attr-defined]
        owner_choices = [("", "—"), ("coach", _("Saya (pembimbing)"))] + [
            (str(e.pk), e.name) for e in (mentees if mentees is not None else [])
        ]
        for n in range(1, ITEM_ROWS + 1):
            self.fields[f"item_title_{n}"] = forms.CharField(
                label=_("Tindak lanjut %(n)d") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"item_owner_{n}"] = forms.ChoiceField(
                label=_("Penanggung jawab %(n)d") % {"n": n}, choices=owner_choices, required=False
            )
            self.fields[f"item_due_{n}"] = forms.DateField(
                label=_("Batas waktu %(n)d") % {"n": n}, widget=DATE, required=False
            )

    def action_items(self, coach_id: int) -> list[dict[str, Any]]:
        """Filled rows; a row with text but no owner/due date is passed on so the service refuses it."""
        items = []
        for n in range(1, ITEM_ROWS + 1):
            title = self.cleaned_data.get(f"item_title_{n}") or ""
            owner = self.cleaned_data.get(f"item_owner_{n}") or ""
            due = self.cleaned_data.get(f"item_due_{n}")
            if not title and not owner and not due:
                continue
            owner_id = coach_id if owner == "coach" else (int(owner) if owner else None)
            items.append({"title": title, "owner_id": owner_id, "due_date": due})
        return items


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Tindak lanjut"), max_length=300)
    owner = forms.ChoiceField(label=_("Penanggung jawab"), required=False)
    due_date = forms.DateField(label=_("Batas waktu"), widget=DATE, required=False)

    def __init__(self, *args: Any, owners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + (owners or [])  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    comment = forms.CharField(label=_("Komentar (opsional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, text in rules.FEEDBACK_ITEMS:
            self.fields[f"q{key}"] = forms.TypedChoiceField(
                label=f"{key}. {text}",
                choices=rules.FEEDBACK_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )
        self.order_fields([f"q{k}" for k, _ in rules.FEEDBACK_ITEMS] + ["comment"])

    def answers(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(f"q{k}") for k, _ in rules.FEEDBACK_ITEMS}


class ObservationForm(forms.Form):
    employee = forms.ChoiceField(label=_("Pegawai"))
    competency = forms.ChoiceField(label=_("Kompetensi"))
    level = forms.TypedChoiceField(label=_("Nilai (1–5)"), choices=[(i, str(i)) for i in range(1, 6)], coerce=int)
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, employees: list[tuple[str, str]], competencies: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].choices = employees  # type: ignore[attr-defined]
        self.fields["competency"].choices = competencies  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    name = forms.CharField(label=_("Nama periode"), max_length=120)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)


class OverrideForm(forms.Form):
    box = forms.TypedChoiceField(label=_("Kotak baru"), choices=[(i, str(i)) for i in range(1, 10)], coerce=int)
    reason = forms.CharField(label=_("Alasan penyesuaian"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FollowUpDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (FollowUpStatus.CONFIRMED, _("Konfirmasi")),
            (FollowUpStatus.ADJUSTED, _("Sesuaikan")),
            (FollowUpStatus.CANCELLED, _("Batalkan")),
        ],
    )
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500)
    recognition_type = forms.ModelChoiceField(
        label=_("Jenis penghargaan"), queryset=RecognitionType.objects.filter(is_active=True), required=False
    )
    opportunity = forms.ChoiceField(
        label=_("Kesempatan pengembangan"), choices=[("", "—"), *DevelopmentOpportunity.choices], required=False
    )
    sessions_planned = forms.IntegerField(label=_("Jumlah sesi pembinaan"), min_value=0, max_value=12, required=False)
