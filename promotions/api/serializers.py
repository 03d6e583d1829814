from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from asn_portal.uploads import DownloadUrlField, UploadKind, UploadSerializerField

from .. import rules
from ..choices import PromotionKind
from ..models import PositionVacancy, PromotionPeriod, PromotionProposal, ProposalDocument, QueueEntry, VacancyCandidate


class PeriodSerializer(serializers.ModelSerializer[PromotionPeriod]):
    class Meta:
        model = PromotionPeriod
        fields = ["id", "period_date", "submission_opens", "submission_closes"]


class QueueEntrySerializer(serializers.ModelSerializer[QueueEntry]):
    promotion_kind = serializers.ChoiceField(source="kind", choices=PromotionKind.choices, read_only=True)
    employee_name = serializers.CharField(source="employee.full_name")
    nip = serializers.CharField(source="employee.nip")
    unit_name = serializers.CharField(source="unit.name")
    current_rank = serializers.CharField(source="current_rank.code")
    target_rank = serializers.CharField(source="target_rank.code", allow_null=True, default=None)
    predikat_years = serializers.SerializerMethodField(help_text="Tahun predikat kinerja yang dinilai (SKP 2 tahun).")

    def get_predikat_years(self, obj: QueueEntry) -> list[int]:
        return list(rules.assessment_years(obj.period.submission_opens))

    class Meta:
        model = QueueEntry
        fields = [
            "id", "period", "employee", "employee_name", "nip", "unit", "unit_name", "promotion_kind", "status",
            "current_rank", "target_rank", "failing", "predikat_years", "next_eligible_date", "credit_points",
            "rule_version", "computed_at",
        ]  # fmt: skip


QUEUE_ENTRY_VALUES = (
    "id", "period_id", "employee_id", "employee__front_title", "employee__name", "employee__back_title",
    "employee__nip", "unit_id", "unit__name", "kind", "status", "current_rank__code", "target_rank__code", "failing",
    "next_eligible_date", "credit_points", "rule_version", "computed_at",
)  # fmt: skip


def _represent_once(fields: Any) -> Callable[[str, Any], Any]:
    """`shown(name, value)`: the serializer field's representation of a value (None stays None), computed once
    per distinct value of a page (the same dates, decimals and times recur on every row)."""
    memo: dict[tuple[str, Any], Any] = {}

    def shown(name: str, value: Any) -> Any:
        if value is None:
            return None
        key = (name, value)
        if key not in memo:
            memo[key] = fields[name].to_representation(value)
        return memo[key]

    return shown


def _queue_value_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """The three fields of `QueueEntrySerializer` whose representation the rows need, as its ModelSerializer
    builds them from the model (`test_api_queue_rows_equal_the_serializer` holds them equal): built alone, not
    the serializer's seventeen fields from the model's metadata on every request (a tenth of the list's CPU)."""
    return {
        "next_eligible_date": serializers.DateField(allow_null=True, required=False),
        "credit_points": serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, required=False),
        "computed_at": serializers.DateTimeField(),
    }


def queue_entry_values(qs: QuerySet[QueueEntry]) -> QuerySet[Any]:
    """The queue rows the list writes (`queue_entry_rows`), as plain values."""
    return qs.values(*QUEUE_ENTRY_VALUES)


def queue_entry_rows(rows: Iterable[dict[str, Any]], period: PromotionPeriod | None) -> list[dict[str, Any]]:
    """`QueueEntrySerializer(many=True).data` for `queue_entry_values` rows of one period: the same keys in the
    same order and the same representations (each date, decimal and time through the serializer's own field,
    once per distinct value)."""
    shown = _represent_once(_queue_value_fields())

    years = list(rules.assessment_years(period.submission_opens)) if period is not None else None
    out = []
    for r in rows:
        name = f"{r['employee__front_title']} {r['employee__name']}".strip()
        out.append(
            {
                "id": r["id"],
                "period": r["period_id"],
                "employee": r["employee_id"],
                "employee_name": f"{name}, {r['employee__back_title']}" if r["employee__back_title"] else name,
                "nip": r["employee__nip"],
                "unit": r["unit_id"],
                "unit_name": r["unit__name"],
                "promotion_kind": r["kind"],
                "status": r["status"],
                "current_rank": r["current_rank__code"],
                "target_rank": r["target_rank__code"],
                "failing": r["failing"],
                "predikat_years": years,
                "next_eligible_date": shown("next_eligible_date", r["next_eligible_date"]),
                "credit_points": shown("credit_points", r["credit_points"]),
                "rule_version": r["rule_version"],
                "computed_at": shown("computed_at", r["computed_at"]),
            }
        )
    return out


class DocumentSerializer(serializers.ModelSerializer[ProposalDocument]):
    file = DownloadUrlField(
        view_name="promotion-proposal-document-file",
        file_attr="file",
        url_kwargs=lambda doc: {"pk": doc.proposal_id, "document_id": doc.pk},
    )

    class Meta:
        model = ProposalDocument
        fields = ["id", "kind", "original_name", "size", "uploaded_at", "file"]


class ProposalSerializer(serializers.ModelSerializer[PromotionProposal]):
    promotion_kind = serializers.ChoiceField(source="kind", choices=PromotionKind.choices, read_only=True)
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    current_rank = serializers.CharField(source="current_rank.code", read_only=True)
    target_rank = serializers.CharField(source="target_rank.code", read_only=True)
    batch_number = serializers.IntegerField(source="batch.number", read_only=True, allow_null=True, default=None)

    class Meta:
        model = PromotionProposal
        fields = [
            "id", "period", "employee", "employee_name", "promotion_kind", "status", "current_rank", "target_rank",
            "rule_version", "failing_at_proposal", "override_reason", "late_reason", "needs_exam_certificate",
            "batch_number", "decree_number", "decree_date", "rejection_reason", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


PROPOSAL_VALUES = (
    "id", "period_id", "employee_id", "employee__front_title", "employee__name", "employee__back_title", "kind",
    "status", "current_rank__code", "target_rank__code", "rule_version", "failing_at_proposal", "override_reason",
    "late_reason", "needs_exam_certificate", "batch__number", "decree_number", "decree_date", "rejection_reason",
    "created_at",
)  # fmt: skip


def _proposal_value_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """The two fields of `ProposalSerializer` whose representation the rows need, as its ModelSerializer builds
    them from the model (`test_api_proposal_rows_equal_the_serializer` holds them equal): built alone, not the
    serializer's eighteen fields from the model's metadata on every request (a quarter of the list's CPU)."""
    return {
        "decree_date": serializers.DateField(allow_null=True, required=False, read_only=True),
        "created_at": serializers.DateTimeField(read_only=True),
    }


def proposal_values(qs: QuerySet[PromotionProposal]) -> QuerySet[Any]:
    """The proposal rows the list writes (`proposal_rows`), as plain values."""
    return qs.values(*PROPOSAL_VALUES)


def proposal_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """`ProposalSerializer(many=True).data` for `proposal_values` rows: the same keys in the same order and the
    same representations (dates and times through the serializer's own fields)."""
    shown = _represent_once(_proposal_value_fields())

    out = []
    for r in rows:
        name = f"{r['employee__front_title']} {r['employee__name']}".strip()
        out.append(
            {
                "id": r["id"],
                "period": r["period_id"],
                "employee": r["employee_id"],
                "employee_name": f"{name}, {r['employee__back_title']}" if r["employee__back_title"] else name,
                "promotion_kind": r["kind"],
                "status": r["status"],
                "current_rank": r["current_rank__code"],
                "target_rank": r["target_rank__code"],
                "rule_version": r["rule_version"],
                "failing_at_proposal": r["failing_at_proposal"],
                "override_reason": r["override_reason"],
                "late_reason": r["late_reason"],
                "needs_exam_certificate": r["needs_exam_certificate"],
                "batch_number": r["batch__number"],
                "decree_number": r["decree_number"],
                "decree_date": shown("decree_date", r["decree_date"]),
                "rejection_reason": r["rejection_reason"],
                "created_at": shown("created_at", r["created_at"]),
            }
        )
    return out


class ProposalCreateSerializer(serializers.Serializer[Any]):
    employee = serializers.IntegerField()
    period = serializers.IntegerField()
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ApproveSerializer(serializers.Serializer[Any]):
    decree_number = serializers.CharField(required=False, allow_blank=True, default="")
    decree_date = serializers.DateField(required=False, allow_null=True, default=None)


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class UploadSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    file = UploadSerializerField(kind=UploadKind.DOCUMENT)


class SendSerializer(serializers.Serializer[Any]):
    period = serializers.IntegerField()
    agency = serializers.IntegerField(required=False)


class VacancySerializer(serializers.ModelSerializer[PositionVacancy]):
    position_title = serializers.CharField(source="position.title", read_only=True)
    candidate_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PositionVacancy
        fields = [
            "id", "position", "position_title", "status", "notes", "weights", "ranked_at", "chosen",
            "chosen_rank", "justification", "decided_at", "appointed_on", "decree_number", "candidate_count",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f not in ("position", "notes")]


class CandidateSerializer(serializers.ModelSerializer[VacancyCandidate]):
    employee_name = serializers.CharField(source="employee.full_name")
    nip = serializers.CharField(source="employee.nip")

    class Meta:
        model = VacancyCandidate
        fields = [
            "rank",
            "employee",
            "employee_name",
            "nip",
            "merit_score",
            "components",
            "seniority_rank",
            "from_talent_pool",
        ]


class DecideSerializer(serializers.Serializer[Any]):
    employee = serializers.IntegerField()
    justification = serializers.CharField(required=False, allow_blank=True, default="")


class AppointSerializer(serializers.Serializer[Any]):
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    decree_number = serializers.CharField(required=False, allow_blank=True, default="")
    decree_date = serializers.DateField(required=False, allow_null=True, default=None)
