"""SKP (Sasaran Kinerja Pegawai) per PermenPANRB 6/2022: plans, results, indicators, progress,
feedback, periodic and annual evaluations, unit performance, distribution rules, calibration,
objections and the final annual predikat history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from asn_portal.models import TimeStampedModel
from asn_portal.uploads import RandomName, private_storage

from .choices import (
    Approach,
    Aspect,
    CalibrationStatus,
    DistributionComparator,
    EvaluationStatus,
    Expectation,
    ObjectionStatus,
    PeriodKind,
    PeriodStatus,
    Perspective,
    PlanStatus,
    Predikat,
    PredikatImportStatus,
    PredikatSource,
    ResultKind,
    UnitRating,
)


class PerformanceSetting(TimeStampedModel):
    """An agency's SKP settings: evaluation frequency, objection window, reminder lead time."""

    agency = models.OneToOneField("people.Agency", on_delete=models.CASCADE, related_name="performance_setting")
    period_kind = models.CharField(
        _("periode evaluasi"), max_length=12, choices=PeriodKind.choices, default=PeriodKind.QUARTERLY
    )
    objection_window_days = models.PositiveSmallIntegerField(_("batas waktu keberatan (hari)"), default=14)
    reminder_days_before = models.PositiveSmallIntegerField(_("pengingat sebelum periode ditutup (hari)"), default=7)

    class Meta:
        verbose_name = _("pengaturan kinerja")
        verbose_name_plural = _("pengaturan kinerja")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.get_period_kind_display()}"


class EvaluationPeriod(TimeStampedModel):
    """A periodic evaluation window of an agency's year (Triwulan I … IV/Akhir); the last one is annual."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="evaluation_periods")
    year = models.PositiveSmallIntegerField(_("tahun"))
    kind = models.CharField(_("jenis"), max_length=12, choices=PeriodKind.choices, default=PeriodKind.QUARTERLY)
    number = models.PositiveSmallIntegerField(_("ke"))
    name = models.CharField(_("nama periode"), max_length=60)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    is_annual = models.BooleanField(_("periode akhir (tahunan)"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    opened_at = models.DateTimeField(_("dibuka pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind", "number"], name="uniq_eval_period"),
        ]
        indexes = [
            models.Index(fields=["agency", "year", "start_date"]),
            models.Index(fields=["status", "end_date"]),
        ]
        verbose_name = _("periode evaluasi")
        verbose_name_plural = _("periode evaluasi")

    def __str__(self) -> str:
        return f"{self.display_name} {self.year}"

    @property
    def display_name(self) -> str:
        """The period's name in the reader's language ("Triwulan IV/Akhir" is "Quarter IV/Final"); a name the
        admin changed from the generated one is shown as written."""
        from .period_names import period_display_name

        return period_display_name(self.kind, self.number, self.name)


class CoreValue(models.Model):
    """One of the 7 BerAKHLAK core values (perilaku kerja), seeded by a data migration."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nilai"), max_length=60)
    guide = models.TextField(_("panduan perilaku"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("nilai BerAKHLAK")
        verbose_name_plural = _("nilai BerAKHLAK")

    def __str__(self) -> str:
        return self.name


class PerformancePlan(TimeStampedModel):
    """An employee's SKP for one year: planned results and behaviour expectations, and its evaluation."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="performance_plans")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="performance_plans")
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="performance_plans"
    )
    position_title = models.CharField(_("jabatan"), max_length=200, blank=True)
    is_jpt = models.BooleanField(_("SKP JPT"), default=False)
    is_unit_head = models.BooleanField(_("kepala unit"), default=False)
    year = models.PositiveSmallIntegerField(_("tahun"))
    appraiser = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pejabat penilai kinerja"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans_to_appraise",
    )
    appraiser_superior = models.ForeignKey(
        "people.Employee",
        verbose_name=_("atasan pejabat penilai kinerja"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans_as_appraiser_superior",
    )
    approach = models.CharField(_("pendekatan"), max_length=12, choices=Approach.choices, default=Approach.QUANTITATIVE)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    expectations = models.TextField(_("ekspektasi pimpinan"), blank=True)
    return_comment = models.TextField(_("catatan pengembalian"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("dinilai"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)
    result_rating = models.CharField(_("rating hasil kerja"), max_length=6, choices=Expectation.choices, blank=True)
    behaviour_rating = models.CharField(
        _("rating perilaku kerja"), max_length=6, choices=Expectation.choices, blank=True
    )
    predikat = models.CharField(_("predikat kinerja"), max_length=16, choices=Predikat.choices, blank=True)

    class Meta:
        ordering = ["-year", "employee__name"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="uniq_plan_per_employee_year")]
        indexes = [
            models.Index(fields=["agency", "year", "status"]),
            models.Index(fields=["appraiser", "status"]),
            models.Index(fields=["unit", "year", "predikat"]),
            # the SKP API's keyset pages: newest year first, newest SKP first within it
            models.Index(fields=["-year", "-id"], name="perf_plan_keyset_idx"),
            # a BKD admin's keyset pages: their agency's SKPs in that order, not every agency's walked past
            models.Index(fields=["agency", "-year", "-id"], name="perf_plan_agency_keyset_idx"),
        ]
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")

    def __str__(self) -> str:
        return f"SKP {self.year} #{self.pk}"


class BehaviourExpectation(models.Model):
    """The leader's specific expectation (ekspektasi khusus pimpinan) for one BerAKHLAK value in an SKP."""

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="behaviour_expectations")
    core_value = models.ForeignKey(CoreValue, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ekspektasi khusus pimpinan"), blank=True)

    class Meta:
        ordering = ["plan", "core_value__order"]
        constraints = [models.UniqueConstraint(fields=["plan", "core_value"], name="uniq_behaviour_expectation")]
        verbose_name = _("ekspektasi perilaku")
        verbose_name_plural = _("ekspektasi perilaku")

    def __str__(self) -> str:
        return f"{self.core_value_id}: {self.text[:40]}"


class PlannedResult(TimeStampedModel):
    """A planned work result (RHK), main or additional, cascaded from the superior's RHK it supports."""

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("jenis"), max_length=10, choices=ResultKind.choices, default=ResultKind.MAIN)
    text = models.TextField(_("rencana hasil kerja"))
    parent_result = models.ForeignKey(
        "self",
        verbose_name=_("RHK atasan yang diintervensi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    perspective = models.CharField(_("perspektif"), max_length=30, choices=Perspective.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["plan", "kind", "order", "pk"]
        indexes = [models.Index(fields=["plan", "kind", "order"])]
        verbose_name = _("rencana hasil kerja")
        verbose_name_plural = _("rencana hasil kerja")

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(models.Model):
    """An individual performance indicator (IKI) of a result, by aspect, with its target."""

    result = models.ForeignKey(PlannedResult, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.CharField(_("aspek"), max_length=10, choices=Aspect.choices, default=Aspect.QUANTITY)
    text = models.TextField(_("indikator kinerja individu"))
    target = models.CharField(_("target"), max_length=120)
    target_value = models.DecimalField(_("target (angka)"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["result", "order", "pk"]
        verbose_name = _("indikator kinerja individu")
        verbose_name_plural = _("indikator kinerja individu")

    def __str__(self) -> str:
        return self.text[:80]


def evidence_path(instance: Progress, filename: str) -> str:
    """The pre-issue-11 layout; kept only because migration 0001 refers to it."""
    return f"kinerja/bukti/{instance.period_id}/{filename}"


class Progress(TimeStampedModel):
    """What was achieved (realisasi) on one indicator in one evaluation period, with evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="progress")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.PROTECT, related_name="progress")
    value = models.CharField(_("realisasi"), max_length=120)
    value_number = models.DecimalField(_("realisasi (angka)"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    evidence_file = models.FileField(
        _("berkas bukti dukung"), upload_to=RandomName("kinerja/bukti"), storage=private_storage, blank=True
    )
    evidence_name = models.CharField(_("nama berkas bukti dukung"), max_length=200, blank=True)
    evidence_link = models.URLField(_("tautan bukti dukung"), blank=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="uniq_progress_per_period")]
        indexes = [models.Index(fields=["period", "indicator"])]
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.period_id}: {self.value}"


class Feedback(models.Model):
    """Continuous feedback (umpan balik berkelanjutan) from the appraiser on a result or a BerAKHLAK value."""

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="feedback")
    period = models.ForeignKey(
        EvaluationPeriod, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    result = models.ForeignKey(PlannedResult, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    core_value = models.ForeignKey(CoreValue, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("umpan balik"))
    given_by = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_given"
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-created_at"]
        indexes = [models.Index(fields=["plan", "period"])]
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")

    def __str__(self) -> str:
        return self.text[:60]


class Evaluation(TimeStampedModel):
    """The appraiser's rating of an SKP for one period (the last period is the annual evaluation)."""

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="evaluations")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.PROTECT, related_name="evaluations")
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.PENDING
    )
    result_rating = models.CharField(_("rating hasil kerja"), max_length=6, choices=Expectation.choices, blank=True)
    result_rating_from_unit = models.BooleanField(_("rating hasil dari kinerja unit"), default=False)
    behaviour_rating = models.CharField(
        _("rating perilaku kerja"), max_length=6, choices=Expectation.choices, blank=True
    )
    predikat = models.CharField(_("predikat kinerja"), max_length=16, choices=Predikat.choices, blank=True)
    comment = models.TextField(_("catatan"), blank=True)
    evaluated_by = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations_given"
    )
    evaluated_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "period__number"]
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="uniq_evaluation_per_period")]
        indexes = [
            models.Index(fields=["period", "status"]),
            # Calibration, who is where: a period's evaluations of one unit's SKPs by predikat, read from the
            # index alone (a unit's page read every evaluation row of the period from the table, issue #13).
            models.Index(fields=["period", "plan"], include=["predikat", "id"], name="perf_eval_period_plan_idx"),
        ]
        verbose_name = _("evaluasi kinerja")
        verbose_name_plural = _("evaluasi kinerja")

    def __str__(self) -> str:
        return f"{self.plan_id}@{self.period_id}: {self.predikat or '-'}"


class UnitPerformance(TimeStampedModel):
    """A unit's organisational rating (predikat kinerja organisasi) for one evaluation period."""

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="performance_ratings")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="unit_ratings")
    rating = models.CharField(_("predikat kinerja organisasi"), max_length=16, choices=UnitRating.choices)
    note = models.TextField(_("dasar penetapan"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="uniq_unit_performance")]
        indexes = [models.Index(fields=["period", "rating"])]
        verbose_name = _("kinerja unit")
        verbose_name_plural = _("kinerja unit")

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.period_id}: {self.rating}"


class DistributionRule(models.Model):
    """One line of the distribution curve for a unit rating (SE MenPANRB 3/2023), editable by BKD.

    `comparator` min/max compares the share of `predikats` with `percent`; `some` asks for at least one."""

    unit_rating = models.CharField(_("predikat organisasi"), max_length=16, choices=UnitRating.choices)
    predikats = models.JSONField(_("predikat pegawai"), default=list)
    comparator = models.CharField(_("pembanding"), max_length=5, choices=DistributionComparator.choices)
    percent = models.DecimalField(_("persen"), max_digits=5, decimal_places=2, default=0)
    message = models.CharField(_("pesan"), max_length=255)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["unit_rating", "order"]
        verbose_name = _("aturan distribusi")
        verbose_name_plural = _("aturan distribusi")

    def __str__(self) -> str:
        return self.message


class UnitCalibration(TimeStampedModel):
    """The finalisation of a unit's predikat distribution for a period, with justification if off-curve."""

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="calibrations")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="calibrations")
    status = models.CharField(
        _("status"), max_length=6, choices=CalibrationStatus.choices, default=CalibrationStatus.OPEN
    )
    unit_rating = models.CharField(_("predikat organisasi"), max_length=16, choices=UnitRating.choices, blank=True)
    distribution = models.JSONField(_("distribusi"), default=dict, blank=True)
    warnings = models.JSONField(_("peringatan"), default=list, blank=True)
    breaks_rule = models.BooleanField(_("menyimpang dari pola"), default=False)
    justification = models.TextField(_("justifikasi"), blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)

    class Meta:
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="uniq_unit_calibration")]
        indexes = [models.Index(fields=["period", "breaks_rule"])]
        verbose_name = _("kalibrasi unit")
        verbose_name_plural = _("kalibrasi unit")

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.period_id}"


class Objection(TimeStampedModel):
    """An employee's objection (keberatan) to the final predikat, decided by the appraiser's superior."""

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="objections")
    reason = models.TextField(_("alasan keberatan"))
    status = models.CharField(_("status"), max_length=8, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    original_predikat = models.CharField(_("predikat semula"), max_length=16, choices=Predikat.choices, blank=True)
    new_predikat = models.CharField(_("predikat baru"), max_length=16, choices=Predikat.choices, blank=True)
    decision = models.TextField(_("keputusan"), blank=True)
    decided_by = models.ForeignKey(
        "people.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="objections_decided"
    )
    decided_at = models.DateTimeField(_("diputus"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["plan", "status"])]
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")

    def __str__(self) -> str:
        return f"Keberatan SKP #{self.plan_id}"


class PredikatRecord(TimeStampedModel):
    """The final annual predikat of an employee (riwayat predikat), read by promotions and talent review."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="predikat_records")
    year = models.PositiveSmallIntegerField(_("tahun"))
    predikat = models.CharField(_("predikat kinerja"), max_length=16, choices=Predikat.choices)
    source = models.CharField(_("sumber"), max_length=10, choices=PredikatSource.choices)
    plan = models.ForeignKey(
        PerformancePlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="predikat_records"
    )
    unit = models.ForeignKey("people.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    locked = models.BooleanField(_("dikunci"), default=True)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        ordering = ["employee", "-year"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="uniq_predikat_per_employee_year")]
        indexes = [models.Index(fields=["year", "predikat"])]
        verbose_name = _("riwayat predikat kinerja")
        verbose_name_plural = _("riwayat predikat kinerja")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}: {self.predikat}"


class PredikatSummary(models.Model):
    """Summary rows of the calibration distribution (`asn_portal.summaries` kind "performance.calibration"):
    per period and unit, how many employees hold each predikat (the annual period counts the SKPs' annual
    predikat, the other periods their evaluated ratings). Rewritten per agency by
    `performance.calibration.summaries`."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    predikat = models.CharField(max_length=16, choices=Predikat.choices)
    employees = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit", "predikat"], name="uniq_predikat_summary")]
        indexes = [models.Index(fields=["agency", "period"], name="predikat_summary_agency_idx")]
        verbose_name = _("rekap predikat per unit")
        verbose_name_plural = _("rekap predikat per unit")

    def __str__(self) -> str:
        return f"{self.period_id}/{self.unit_id}/{self.predikat}"


class PredikatImport(TimeStampedModel):
    """An uploaded file of past years' predikat (NIP, tahun, predikat): read by the worker into a preview, written
    into PredikatRecord once confirmed."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("nama berkas"), max_length=200)
    # The upload until the worker has read it (performance.tasks.predikat_import_parse); emptied once read.
    source = models.FileField(
        _("berkas unggahan"), upload_to=RandomName("impor/predikat"), storage=private_storage, blank=True
    )
    # One dict per data row: line, nip, year, predikat, name, employee_id, error ("" when valid).
    rows = models.JSONField(default=list, blank=True)
    # Refusal of the whole file (unreadable, empty, too many rows); per-row errors are in `rows`.
    error = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=PredikatImportStatus.choices, default=PredikatImportStatus.PARSING
    )
    created_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor predikat")
        verbose_name_plural = _("impor predikat")
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="perf_predimport_agency_idx"),
            models.Index(fields=["status", "created_at"], name="perf_predimport_status_idx"),
        ]

    def __str__(self) -> str:
        return self.file_name


class SkpYearSummary(models.Model):
    """Summary rows of the SKP statistics (`asn_portal.summaries` kind "performance.statistics"): per agency and
    year, how many SKPs have each status (`measure` "status", no unit) and per unit how many employees hold each
    final predikat of the year's history (`measure` "predikat"). Rewritten per agency by
    `performance.reports.summaries`; the statistics page and the BKD admin's home card read them."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=8)
    unit = models.ForeignKey("people.OrgUnit", null=True, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=16)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["agency", "year", "measure"], name="skp_year_summary_idx")]
        verbose_name = _("rekap SKP per tahun")
        verbose_name_plural = _("rekap SKP per tahun")

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.measure}/{self.unit_id}/{self.value}: {self.n}"
