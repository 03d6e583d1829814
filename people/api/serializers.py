"""Serializers of the people API (flat list rows; detail with histories; one write serializer)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import Agency, Employee, OrgUnit, Position, PositionHistory, Rank, RankHistory


class AgencySerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "short_name", "region"]


class UnitSerializer(serializers.ModelSerializer[OrgUnit]):
    """A unit; the list reads `values(*UNIT_ROW_FIELDS)` rows and writes each directly (the same keys and values
    as DRF gives for the instance; tests/people/test_api_rows.py), not field by field."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if not isinstance(instance, dict):
            return super().to_representation(instance)
        r = instance
        return {
            "id": r["id"],
            "agency": r["agency_id"],
            "parent": r["parent_id"],
            "code": r["code"],
            "name": r["name"],
            "kind": r["kind"],
            "head_position": r["head_position_id"],
            "acting_head": r["acting_head_id"],
            "acting_kind": r["acting_kind"],
            "path": r["path"],
            "depth": r["depth"],
            "is_active": r["is_active"],
        }

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "agency",
            "parent",
            "code",
            "name",
            "kind",
            "head_position",
            "acting_head",
            "acting_kind",
            "path",
            "depth",
            "is_active",
        ]


class PositionSerializer(serializers.ModelSerializer[Position]):
    """A post; the list reads `values(*POSITION_ROW_FIELDS)` rows and writes each directly (as `UnitSerializer`)."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if not isinstance(instance, dict):
            return super().to_representation(instance)
        r = instance
        return {
            "id": r["id"],
            "agency": r["agency_id"],
            "unit": r["unit_id"],
            "code": r["code"],
            "title": r["title"],
            "kind": r["kind"],
            "functional_level": r["functional_level"],
            "job_class": r["job_class"],
            "reports_to": r["reports_to_id"],
            "headcount": r["headcount"],
            "is_key": r["is_key"],
            "is_active": r["is_active"],
        }

    class Meta:
        model = Position
        fields = [
            "id",
            "agency",
            "unit",
            "code",
            "title",
            "kind",
            "functional_level",
            "job_class",
            "reports_to",
            "headcount",
            "is_key",
            "is_active",
        ]


# The columns the unit and position lists read as `values()` rows (their serializers' fields, foreign keys as ids).
UNIT_ROW_FIELDS = (
    "id", "agency_id", "parent_id", "code", "name", "kind", "head_position_id", "acting_head_id", "acting_kind",
    "path", "depth", "is_active",
)  # fmt: skip
POSITION_ROW_FIELDS = (
    "id", "agency_id", "unit_id", "code", "title", "kind", "functional_level", "job_class", "reports_to_id",
    "headcount", "is_key", "is_active",
)  # fmt: skip


class RankSerializer(serializers.ModelSerializer[Rank]):
    class Meta:
        model = Rank
        fields = ["id", "scheme", "code", "name", "order"]


class EmployeeListSerializer(serializers.ModelSerializer[Employee]):
    full_name = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    position_title = serializers.CharField(source="position.title", read_only=True, default=None)
    position_kind = serializers.CharField(source="position.kind", read_only=True, default=None)
    rank_code = serializers.CharField(source="rank.code", read_only=True, default=None)
    rank_name = serializers.CharField(source="rank.name", read_only=True, default=None)

    class Meta:
        model = Employee
        fields = [
            "id",
            "nip",
            "full_name",
            "unit",
            "unit_name",
            "position",
            "position_title",
            "position_kind",
            "rank",
            "rank_code",
            "rank_name",
            "rank_start_date",
            "employment_type",
            "status",
        ]


class EmployeeRowSerializer(serializers.Serializer[dict[str, Any]]):
    """A row of the employees API list, read from `selectors.employee_rows_visible_to` (`values()` dicts):
    the same keys and values as `EmployeeListSerializer` gives for the employee, built without model
    instances or per-field serializer calls (the list is read 50,000 rows at a time)."""

    id = serializers.IntegerField(read_only=True)
    nip = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    unit = serializers.IntegerField(read_only=True)
    unit_name = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True, allow_null=True)
    position_title = serializers.CharField(read_only=True, allow_null=True)
    position_kind = serializers.CharField(read_only=True, allow_null=True)
    rank = serializers.IntegerField(read_only=True, allow_null=True)
    rank_code = serializers.CharField(read_only=True, allow_null=True)
    rank_name = serializers.CharField(read_only=True, allow_null=True)
    rank_start_date = serializers.DateField(read_only=True, allow_null=True)
    employment_type = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        row = instance
        name = f"{row['front_title']} {row['name']}".strip()
        start = row["rank_start_date"]
        return {
            "id": row["id"],
            "nip": row["nip"],
            "full_name": f"{name}, {row['back_title']}" if row["back_title"] else name,
            "unit": row["unit"],
            "unit_name": row["unit_name"],
            "position": row["position"],
            "position_title": row["position_title"],
            "position_kind": row["position_kind"],
            "rank": row["rank"],
            "rank_code": row["rank_code"],
            "rank_name": row["rank_name"],
            "rank_start_date": start.isoformat() if start is not None else None,
            "employment_type": row["employment_type"],
            "status": row["status"],
        }


class PositionHistorySerializer(serializers.ModelSerializer[PositionHistory]):
    class Meta:
        model = PositionHistory
        fields = [
            "id",
            "position",
            "position_title",
            "unit_name",
            "start_date",
            "end_date",
            "decree_number",
            "decree_date",
            "is_acting",
        ]


class RankHistorySerializer(serializers.ModelSerializer[RankHistory]):
    rank_code = serializers.CharField(source="rank.code", read_only=True)

    class Meta:
        model = RankHistory
        fields = ["id", "rank", "rank_code", "start_date", "decree_number", "decree_date", "promotion_kind"]


class EmployeeDetailSerializer(EmployeeListSerializer):
    # Least exposure (people.exposure): absent from the answer for relations the matrix does not allow.
    birth_place = serializers.CharField(required=False, read_only=False)
    birth_date = serializers.DateField(required=False)
    email = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    age_band = serializers.CharField(
        required=False, help_text="Kelompok usia lima tahunan (untuk atasan, sebagai ganti tanggal lahir)."
    )
    position_history = PositionHistorySerializer(many=True, read_only=True)
    rank_history = RankHistorySerializer(many=True, read_only=True)
    warnings = serializers.SerializerMethodField()

    class Meta(EmployeeListSerializer.Meta):
        fields = [
            *EmployeeListSerializer.Meta.fields,
            "agency",
            "front_title",
            "name",
            "back_title",
            "gender",
            "birth_place",
            "birth_date",
            "education_level",
            "education_field",
            "position_start_date",
            "cpns_date",
            "pns_date",
            "supervisor_override",
            "email",
            "phone",
            "age_band",
            "position_history",
            "rank_history",
            "warnings",
        ]

    def to_representation(self, instance: Employee) -> dict[str, Any]:
        """Least exposure (people.exposure): birth data and contacts only for whom the matrix allows."""
        from ..exposure import redact

        data = super().to_representation(instance)
        request = self.context.get("request")
        return redact(data, request.user, instance) if request is not None else data

    def get_warnings(self, obj: Employee) -> list[str]:
        """NIP warnings (regulations.md §6): the service's warnings after a write, else a fresh check."""
        if hasattr(obj, "_warnings"):
            return list(obj._warnings)
        from ..rules import check_nip

        check = check_nip(
            obj.nip,
            is_pppk=obj.employment_type == "pppk",
            birth_date=obj.birth_date,
            cpns_date=obj.cpns_date,
            gender=obj.gender,
        )
        return [*check.errors, *check.warnings]


class EmployeeWriteSerializer(serializers.Serializer[Any]):
    """Input for create/update; the service validates the NIP and the business rules."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False)
    nip = serializers.CharField(max_length=30)
    front_title = serializers.CharField(max_length=40, required=False, allow_blank=True)
    name = serializers.CharField(max_length=150)
    back_title = serializers.CharField(max_length=60, required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=Employee._meta.get_field("gender").choices)  # type: ignore[arg-type]
    birth_place = serializers.CharField(max_length=80, required=False, allow_blank=True)
    birth_date = serializers.DateField()
    employment_type = serializers.ChoiceField(
        choices=Employee._meta.get_field("employment_type").choices,  # type: ignore[arg-type]
        required=False,
    )
    education_level = serializers.ChoiceField(
        choices=Employee._meta.get_field("education_level").choices  # type: ignore[arg-type]
    )
    education_field = serializers.CharField(max_length=120, required=False, allow_blank=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False)
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all(), required=False, allow_null=True)
    position_start_date = serializers.DateField(required=False, allow_null=True)
    rank = serializers.PrimaryKeyRelatedField(queryset=Rank.objects.all(), required=False, allow_null=True)
    rank_start_date = serializers.DateField(required=False, allow_null=True)
    cpns_date = serializers.DateField(required=False, allow_null=True)
    pns_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=Employee._meta.get_field("status").choices,  # type: ignore[arg-type]
        required=False,
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
