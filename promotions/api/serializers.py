from __future__ import annotations

from typing import Any

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
