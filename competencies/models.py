"""Competency dictionary, position standards, assessments, gaps and job-person match (JPM)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asn_portal.models import TimeStampedModel
from asn_portal.uploads import RandomName, private_storage
from people.choices import FunctionalLevel, PositionType

from .choices import LEVEL_CHOICES, AssessmentMethod, AssessmentPurpose, CompetencyKind, ImportStatus, JpmCategory

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Competency(TimeStampedModel):
    """A competency in the dictionary (kamus kompetensi): national managerial/socio-cultural ones have no
    agency; technical ones belong to the agency that defined them."""

    agency = models.ForeignKey(
        "people.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competencies",
        help_text=_("Kosong untuk kompetensi nasional (manajerial dan sosial kultural)."),
    )
    kind = models.CharField(_("kelompok"), max_length=20, choices=CompetencyKind.choices)
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("nama kompetensi"), max_length=150)
    definition = models.TextField(_("definisi"), blank=True)
    level_1 = models.TextField(_("deskripsi level 1"), blank=True)
    level_2 = models.TextField(_("deskripsi level 2"), blank=True)
    level_3 = models.TextField(_("deskripsi level 3"), blank=True)
    level_4 = models.TextField(_("deskripsi level 4"), blank=True)
    level_5 = models.TextField(_("deskripsi level 5"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="uniq_competency_code_per_agency"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(agency__isnull=True), name="uniq_national_competency_code"
            ),
        ]
        indexes = [models.Index(fields=["agency", "kind", "order"])]
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")

    def __str__(self) -> str:
        return self.name

    def level_description(self, level: int) -> str:
        return str(getattr(self, f"level_{level}", "") or "")

    @property
    def level_descriptions(self) -> list[tuple[int, str]]:
        return [(i, self.level_description(i)) for i in range(1, 6)]


class DefaultRequirementLevel(models.Model):
    """Editable default standard level of the national managerial and socio-cultural competencies for a
    position type (and functional level): regulations.md §2.3, LOW confidence, so it is data."""

    position_kind = models.CharField(_("jenis jabatan"), max_length=30, choices=PositionType.choices)
    functional_level = models.CharField(
        _("jenjang fungsional"), max_length=20, choices=FunctionalLevel.choices, blank=True
    )
    level = models.PositiveSmallIntegerField(_("level standar"), choices=LEVEL_CHOICES, validators=LEVEL_VALIDATORS)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        ordering = ["position_kind", "functional_level"]
        constraints = [
            models.UniqueConstraint(fields=["position_kind", "functional_level"], name="uniq_default_req_level"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="default_req_level_1_5"),
        ]
        verbose_name = _("level standar bawaan")
        verbose_name_plural = _("level standar bawaan")

    def __str__(self) -> str:
        return f"{self.get_position_kind_display()} {self.get_functional_level_display()}: {self.level}".strip()


class CompetencyRequirement(TimeStampedModel):
    """The standard level a post requires in one competency (standar kompetensi jabatan)."""

    position = models.ForeignKey(
        "people.Position", verbose_name=_("jabatan"), on_delete=models.CASCADE, related_name="competency_requirements"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("kompetensi"), on_delete=models.PROTECT, related_name="requirements"
    )
    level = models.PositiveSmallIntegerField(_("level standar"), choices=LEVEL_CHOICES, validators=LEVEL_VALIDATORS)
    is_override = models.BooleanField(
        _("diatur khusus"), default=False, help_text=_("Ditetapkan per jabatan; tidak ditimpa penerapan massal.")
    )

    class Meta:
        ordering = ["position", "competency__order"]
        constraints = [
            models.UniqueConstraint(fields=["position", "competency"], name="uniq_requirement_per_position"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="requirement_level_1_5"),
        ]
        indexes = [models.Index(fields=["competency", "position"])]
        verbose_name = _("standar kompetensi jabatan")
        verbose_name_plural = _("standar kompetensi jabatan")

    def __str__(self) -> str:
        return f"{self.position_id} – {self.competency_id}: {self.level}"


class AssessmentValidity(models.Model):
    """How many years an assessment by a given method stays valid (editable data)."""

    method = models.CharField(_("metode"), max_length=30, choices=AssessmentMethod.choices, unique=True)
    years = models.PositiveSmallIntegerField(_("masa berlaku (tahun)"), default=3)

    class Meta:
        ordering = ["method"]
        verbose_name = _("masa berlaku asesmen")
        verbose_name_plural = _("masa berlaku asesmen")

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.years}"


class CompetencyAssessment(TimeStampedModel):
    """One assessment of an employee (asesmen, uji kompetensi, assessment center …) on a date."""

    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="competency_assessments"
    )
    assessed_on = models.DateField(_("tanggal asesmen"))
    purpose = models.CharField(_("tujuan"), max_length=20, choices=AssessmentPurpose.choices)
    method = models.CharField(_("metode"), max_length=30, choices=AssessmentMethod.choices)
    assessor = models.CharField(_("asesor/lembaga"), max_length=200, blank=True)
    valid_until = models.DateField(_("berlaku sampai"))
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_batch = models.ForeignKey(
        "AssessmentImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )

    class Meta:
        ordering = ["employee", "-assessed_on", "-pk"]
        indexes = [
            models.Index(fields=["employee", "-assessed_on"]),
            models.Index(fields=["-assessed_on", "-id"], name="assessment_recent_idx"),
        ]
        verbose_name = _("asesmen kompetensi")
        verbose_name_plural = _("asesmen kompetensi")

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.assessed_on}"


class AssessmentResult(models.Model):
    """The level measured for one competency in one assessment, with its evidence. Employee, date and
    validity are copied from the assessment so "latest valid level per competency" is one index scan."""

    assessment = models.ForeignKey(CompetencyAssessment, on_delete=models.CASCADE, related_name="results")
    competency = models.ForeignKey(
        Competency, verbose_name=_("kompetensi"), on_delete=models.PROTECT, related_name="results"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES, validators=LEVEL_VALIDATORS)
    evidence = models.TextField(_("bukti"), blank=True)
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    assessed_on = models.DateField()
    valid_until = models.DateField()

    class Meta:
        ordering = ["assessment", "competency__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="uniq_result_per_assessment"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="result_level_1_5"),
        ]
        indexes = [models.Index(fields=["employee", "competency", "-assessed_on"], name="result_latest_idx")]
        verbose_name = _("hasil asesmen")
        verbose_name_plural = _("hasil asesmen")

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.level}"


class EmployeeJpm(models.Model):
    """The stored job-person match of an employee for their current post (refreshed on every change)."""

    employee = models.OneToOneField(
        "people.Employee", verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="jpm"
    )
    position = models.ForeignKey(
        "people.Position", verbose_name=_("jabatan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jpm = models.DecimalField(_("JPM (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    category = models.CharField(_("kategori (pemetaan)"), max_length=20, choices=JpmCategory.choices, blank=True)
    filling_category = models.CharField(
        _("kategori (pengisian jabatan)"), max_length=20, choices=JpmCategory.choices, blank=True
    )
    required_count = models.PositiveSmallIntegerField(_("jumlah kompetensi standar"), default=0)
    assessed_count = models.PositiveSmallIntegerField(_("jumlah kompetensi diases"), default=0)
    gap_count = models.PositiveSmallIntegerField(_("jumlah kesenjangan"), default=0)
    computed_at = models.DateTimeField(_("dihitung"), auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["category"]), models.Index(fields=["jpm"])]
        verbose_name = _("JPM pegawai")
        verbose_name_plural = _("JPM pegawai")

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.jpm}"


class CurrentLevel(models.Model):
    """The stored current profile: for each competency an employee's post requires, the required level, the
    latest valid level (None = belum diases) and the gap. Refreshed with EmployeeJpm; analytics read it."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    required_level = models.PositiveSmallIntegerField()
    current_level = models.PositiveSmallIntegerField(null=True, blank=True)
    gap = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "competency"], name="uniq_current_level")]
        indexes = [models.Index(fields=["competency", "gap"], name="current_level_gap_idx")]
        verbose_name = _("profil kompetensi terkini")
        verbose_name_plural = _("profil kompetensi terkini")

    def __str__(self) -> str:
        return f"{self.employee_id}/{self.competency_id}: {self.current_level}/{self.required_level}"


class JpmSnapshot(models.Model):
    """A dated copy of an employee's JPM, for the trend chart."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="jpm_snapshots")
    date = models.DateField(_("tanggal"))
    position = models.ForeignKey("people.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    jpm = models.DecimalField(_("JPM (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["employee", "date"]
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="uniq_jpm_snapshot_per_day")]
        verbose_name = _("riwayat JPM")
        verbose_name_plural = _("riwayat JPM")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}: {self.jpm}"


class AssessmentImport(TimeStampedModel):
    """An uploaded file of assessment-centre results: parsed rows kept for preview until confirmed."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("nama berkas"), max_length=200)
    purpose = models.CharField(_("tujuan"), max_length=20, choices=AssessmentPurpose.choices)
    method = models.CharField(_("metode"), max_length=30, choices=AssessmentMethod.choices)
    assessor = models.CharField(_("asesor/lembaga"), max_length=200, blank=True)
    # The upload until the worker has read it (competencies.tasks.assessment_import_parse); emptied once read.
    source = models.FileField(
        _("berkas unggahan"), upload_to=RandomName("impor/asesmen"), storage=private_storage, blank=True
    )
    rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    created_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor hasil asesmen")
        verbose_name_plural = _("impor hasil asesmen")

    def __str__(self) -> str:
        return self.file_name


class CompetencyUnitSummary(models.Model):
    """Summary rows of the agency analytics (`asn_portal.summaries` kind "competencies.analytics"): per unit,
    the active employees' stored JPM counted by category. Rewritten per agency by `competencies.summaries`."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    employees = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0)
    jpm_sum = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    optimal = models.PositiveIntegerField(default=0)
    cukup_optimal = models.PositiveIntegerField(default=0)
    kurang_optimal = models.PositiveIntegerField(default=0)
    ms = models.PositiveIntegerField(default=0)
    mms = models.PositiveIntegerField(default=0)
    kms = models.PositiveIntegerField(default=0)
    with_gaps = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "unit"], name="uniq_competency_unit_summary")]
        verbose_name = _("rekap JPM per unit")
        verbose_name_plural = _("rekap JPM per unit")

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.unit_id}"


class CompetencyGapSummary(models.Model):
    """Summary rows of the gap figures (kind "competencies.analytics"): per unit and competency, how many active
    employees fall short of their post's standard and the sum of their gaps (the average is sum / count)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    employees = models.PositiveIntegerField(default=0)
    gap_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "unit", "competency"], name="uniq_competency_gap_summary")
        ]
        indexes = [models.Index(fields=["agency", "competency"], name="comp_gap_summary_comp_idx")]
        verbose_name = _("rekap kesenjangan per unit")
        verbose_name_plural = _("rekap kesenjangan per unit")

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.unit_id}/{self.competency_id}"
