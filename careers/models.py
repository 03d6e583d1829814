"""Career plans (IDP), mentoring sessions, talent reviews (9-box) and appraisal follow-up."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from asn_portal.models import TimeStampedModel

from .choices import (
    ActionKind,
    ActionSource,
    ActionStatus,
    DevelopmentOpportunity,
    FollowUpKind,
    FollowUpStatus,
    ItemStatus,
    PerformanceBand,
    PlanStatus,
    PotentialBand,
    ReviewStatus,
    SessionKind,
    SessionMode,
)


class CareerSettings(models.Model):
    """Editable numbers for careers per agency (agency empty = the national default row)."""

    agency = models.OneToOneField(
        "people.Agency", verbose_name=_("instansi"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_jp_per_hour = models.DecimalField(
        _("JP per jam bimbingan"), max_digits=4, decimal_places=2, default=Decimal("1.00")
    )
    session_jp_max = models.DecimalField(
        _("JP maksimum per sesi"), max_digits=4, decimal_places=1, default=Decimal("4")
    )
    cadence_days = models.PositiveSmallIntegerField(_("batas hari tanpa sesi bimbingan"), default=90)
    plan_review_days = models.PositiveSmallIntegerField(_("peninjauan rencana karier tiap (hari)"), default=365)

    class Meta:
        verbose_name = _("pengaturan karier")
        verbose_name_plural = _("pengaturan karier")

    def __str__(self) -> str:
        return str(self.agency or _("Bawaan nasional"))


class CareerPlan(TimeStampedModel):
    """An employee's career plan (rencana karier / IDP): aspiration, strengths and development actions."""

    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="career_plans"
    )
    target_position = models.ForeignKey(
        "people.Position",
        verbose_name=_("jabatan target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_family = models.CharField(_("rumpun/jenis jabatan target"), max_length=120, blank=True)
    horizon_years = models.PositiveSmallIntegerField(
        _("jangka waktu (tahun)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    aspiration = models.TextField(_("aspirasi karier"), blank=True)
    strengths = models.TextField(_("kekuatan"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        "people.Employee",
        verbose_name=_("disepakati oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agreed_on = models.DateField(_("tanggal kesepakatan"), null=True, blank=True)
    head_comment = models.TextField(_("catatan atasan"), blank=True)
    next_review_on = models.DateField(_("peninjauan berikutnya"), null=True, blank=True, db_index=True)
    review_reminded_on = models.DateField(_("pengingat terakhir"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=~models.Q(status="archived"), name="uniq_open_career_plan"
            )
        ]
        indexes = [models.Index(fields=["status", "employee"])]
        verbose_name = _("rencana karier")
        verbose_name_plural = _("rencana karier")

    def __str__(self) -> str:
        return f"Rencana karier #{self.pk}"


class CareerPlanVersion(models.Model):
    """An agreed version of a career plan, kept when the plan is changed after the head agreed it."""

    plan = models.ForeignKey(CareerPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("versi"))
    agreed_by = models.ForeignKey(
        "people.Employee",
        verbose_name=_("disepakati oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agreed_on = models.DateField(_("tanggal kesepakatan"), null=True, blank=True)
    snapshot = models.JSONField(_("isi rencana yang disepakati"), default=dict)
    reason = models.CharField(_("perubahan yang membuka versi baru"), max_length=200, blank=True)
    superseded_at = models.DateTimeField(_("digantikan pada"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="uniq_career_plan_version")]
        verbose_name = _("versi rencana karier")
        verbose_name_plural = _("versi rencana karier")

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version}"


class DevelopmentAction(TimeStampedModel):
    """One development action in a career plan (training, coaching, assignment, rotation, education, self-study)."""

    plan = models.ForeignKey(CareerPlan, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("jenis"), max_length=12, choices=ActionKind.choices)
    title = models.CharField(_("kegiatan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    competency = models.ForeignKey(
        "competencies.Competency",
        verbose_name=_("kompetensi yang dikembangkan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    required_level = models.PositiveSmallIntegerField(_("level dipersyaratkan"), null=True, blank=True)
    current_level = models.PositiveSmallIntegerField(_("level saat ini"), null=True, blank=True)
    course_offering = models.ForeignKey(
        "training.CourseOffering",
        verbose_name=_("angkatan pelatihan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mentoring_session = models.ForeignKey(
        "MentoringSession",
        verbose_name=_("sesi bimbingan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    due_date = models.DateField(_("target selesai"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    source = models.CharField(_("asal"), max_length=10, choices=ActionSource.choices, default=ActionSource.MANUAL)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["plan", "status"]), models.Index(fields=["status", "due_date"])]
        verbose_name = _("kegiatan pengembangan")
        verbose_name_plural = _("kegiatan pengembangan")

    def __str__(self) -> str:
        return self.title


class MentorAssignment(TimeStampedModel):
    """A mentor assigned to an employee besides their head (pihak lain yang diberikan penugasan khusus)."""

    mentor = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="mentee_assignments")
    mentee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="mentor_assignments")
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["mentor", "end_date"])]
        verbose_name = _("penugasan mentor")
        verbose_name_plural = _("penugasan mentor")

    def __str__(self) -> str:
        return f"{self.mentor_id} → {self.mentee_id}"


class MentoringSession(TimeStampedModel):
    """A logged performance-coaching session (bimbingan kinerja, coaching, mentoring, konseling)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(
        "people.Employee", verbose_name=_("pembimbing"), on_delete=models.PROTECT, related_name="coached_sessions"
    )
    mentees = models.ManyToManyField(
        "people.Employee", through="SessionMentee", related_name="mentoring_sessions", verbose_name=_("pegawai")
    )
    held_on = models.DateField(_("tanggal"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durasi (menit)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    mode = models.CharField(_("cara"), max_length=10, choices=SessionMode.choices, default=SessionMode.IN_PERSON)
    kind = models.CharField(_("jenis"), max_length=12, choices=SessionKind.choices, default=SessionKind.COACHING)
    topics = models.CharField(_("topik"), max_length=300)
    shared_notes = models.TextField(_("catatan bersama"), blank=True)
    private_notes = models.TextField(_("catatan pribadi pembimbing"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_result = models.ForeignKey(
        "performance.PlannedResult",
        verbose_name=_("RHK/SKP terkait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    development_action = models.ForeignKey(
        DevelopmentAction,
        verbose_name=_("kegiatan rencana karier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    talent_placement = models.ForeignKey(
        "TalentPlacement",
        verbose_name=_("rekomendasi kotak talenta"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["coach", "-held_on"]),
            models.Index(fields=["agency", "-held_on"]),
            # the sessions API's keyset pages (newest first) within an agency
            models.Index(fields=["agency", "-held_on", "-id"], name="careers_session_keyset_idx"),
            # a BKD admin's pages across agencies and mentees: walked newest first, each session tested
            models.Index(fields=["-held_on", "-id"], name="careers_session_newest_idx"),
        ]
        verbose_name = _("sesi bimbingan")
        verbose_name_plural = _("sesi bimbingan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class SessionMentee(models.Model):
    """A mentee's part in a session: confirmation, B.1.8 feedback and the JP credit."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="participants")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="session_participations")
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    feedback = models.JSONField(_("umpan balik B.1.8"), default=dict, blank=True)
    feedback_comment = models.TextField(_("komentar"), blank=True)
    feedback_at = models.DateTimeField(_("umpan balik diberikan"), null=True, blank=True)
    jp_credited = models.DecimalField(_("JP dikreditkan"), max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "employee"], name="uniq_session_mentee")]
        indexes = [models.Index(fields=["employee", "session"])]
        verbose_name = _("peserta bimbingan")
        verbose_name_plural = _("peserta bimbingan")

    def __str__(self) -> str:
        return f"{self.session_id}/{self.employee_id}"


class CompetencyObservation(models.Model):
    """A coach's B.1.9 observation: a competency scored 1–5 with its reason after a session."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="observations")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(
        "competencies.Competency", verbose_name=_("kompetensi"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("nilai (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    reason = models.TextField(_("alasan"))
    assessment = models.ForeignKey(
        "competencies.CompetencyAssessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["employee"])]
        verbose_name = _("evaluasi kompetensi B.1.9")
        verbose_name_plural = _("evaluasi kompetensi B.1.9")

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.level}"


class ActionItem(TimeStampedModel):
    """An action agreed in a session, with its owner, due date and status."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("tindak lanjut"), max_length=300)
    owner = models.ForeignKey(
        "people.Employee", verbose_name=_("penanggung jawab"), on_delete=models.PROTECT, related_name="action_items"
    )
    due_date = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    done_on = models.DateField(_("selesai"), null=True, blank=True)
    reminded_on = models.DateField(_("diingatkan"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["owner", "status"])]
        verbose_name = _("tindak lanjut sesi")
        verbose_name_plural = _("tindak lanjut sesi")

    def __str__(self) -> str:
        return self.title


class TalentScheme(models.Model):
    """How the two 9-box axes are scored and cut (regulations.md §3.3: no national formula; editable data)."""

    agency = models.OneToOneField(
        "people.Agency", verbose_name=_("instansi"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nama skema"), max_length=120)
    predikat_points = models.JSONField(_("poin predikat"), default=dict)
    performance_above = models.DecimalField(_("kinerja di atas: skor ≥"), max_digits=5, decimal_places=2)
    performance_meets = models.DecimalField(_("kinerja sesuai: skor ≥"), max_digits=5, decimal_places=2)
    potential_high = models.DecimalField(_("potensial tinggi: JPM ≥"), max_digits=5, decimal_places=2)
    potential_medium = models.DecimalField(_("potensial menengah: JPM ≥"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("skema penilaian talenta")
        verbose_name_plural = _("skema penilaian talenta")

    def __str__(self) -> str:
        return self.name


class TalentReview(TimeStampedModel):
    """A talent review (periode talenta) of one agency: a 9-box placement of every employee."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama periode"), max_length=120)
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    scheme = models.JSONField(_("skema yang dipakai"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("dihitung"), null=True, blank=True)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job_run_id = models.BigIntegerField(_("riwayat pekerjaan"), null=True, blank=True)
    counts = models.JSONField(_("ringkasan"), default=dict, blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        indexes = [models.Index(fields=["agency", "status", "-published_at"])]
        verbose_name = _("periode talenta")
        verbose_name_plural = _("periode talenta")

    def __str__(self) -> str:
        return self.name


class TalentPlacement(models.Model):
    """One employee's place in a review's 9-box (kotak 1–9), with the inputs and any override."""

    review = models.ForeignKey(TalentReview, on_delete=models.CASCADE, related_name="placements")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="talent_placements")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey("people.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    performance_score = models.DecimalField(_("skor kinerja"), max_digits=5, decimal_places=2)
    performance_band = models.CharField(_("kinerja"), max_length=6, choices=PerformanceBand.choices)
    potential_score = models.DecimalField(_("skor potensial (JPM)"), max_digits=5, decimal_places=2)
    potential_band = models.CharField(_("potensial"), max_length=6, choices=PotentialBand.choices)
    computed_box = models.PositiveSmallIntegerField(_("kotak hasil hitung"))
    box = models.PositiveSmallIntegerField(_("kotak"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    override_reason = models.TextField(_("alasan penyesuaian"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "employee"], name="uniq_review_employee")]
        indexes = [
            models.Index(fields=["review", "box"]),
            models.Index(fields=["employee", "review"]),
            models.Index(fields=["review", "unit"]),
            # the API's keyset pages (unit, id): an index walk, not a sort of the review's placements
            models.Index(fields=["review", "unit", "id"], name="careers_placement_keyset_idx"),
            # a 9-box list (one box, by unit path): each unit's rows of the box, not its whole review to filter
            models.Index(fields=["review", "unit", "box"], name="careers_placement_box_unit_idx"),
        ]
        verbose_name = _("penempatan talenta")
        verbose_name_plural = _("penempatan talenta")

    def __str__(self) -> str:
        return f"Kotak {self.box}"


class RecognitionType(models.Model):
    """A kind of recognition for Sangat Baik performers (editable data)."""

    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama penghargaan"), max_length=150)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="uniq_recognition_code")]
        verbose_name = _("jenis penghargaan")
        verbose_name_plural = _("jenis penghargaan")

    def __str__(self) -> str:
        return self.name


class AppraisalFollowUp(TimeStampedModel):
    """One follow-up item of the annual appraisal (tindak lanjut, PermenPANRB 6/2022 tahap 4)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="appraisal_follow_ups"
    )
    year = models.PositiveSmallIntegerField(_("tahun penilaian"))
    predikat = models.CharField(_("predikat"), max_length=20)
    kind = models.CharField(_("jenis"), max_length=12, choices=FollowUpKind.choices)
    recognition_type = models.ForeignKey(
        RecognitionType, verbose_name=_("jenis penghargaan"), null=True, blank=True, on_delete=models.SET_NULL
    )
    opportunity = models.CharField(
        _("kesempatan pengembangan"), max_length=20, choices=DevelopmentOpportunity.choices, blank=True
    )
    sessions_planned = models.PositiveSmallIntegerField(_("jumlah sesi pembinaan"), default=0)
    description = models.TextField(_("uraian"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.PROPOSED
    )
    head_reason = models.TextField(_("alasan atasan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    done_on = models.DateField(_("terlaksana"), null=True, blank=True)
    plan_action = models.ForeignKey(
        DevelopmentAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit__path", "employee__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year", "kind"], name="uniq_followup_employee_year_kind")
        ]
        indexes = [
            models.Index(fields=["agency", "year", "status"]),
            models.Index(fields=["unit", "year"]),
            # the follow-ups API's keyset pages (latest year first, by unit)
            models.Index(fields=["-year", "unit", "id"], name="careers_followup_keyset_idx"),
            # the head's home card: the team's proposed follow-ups (`careers.home.head_figures`)
            models.Index(fields=["status", "employee"], name="careers_followup_status_idx"),
        ]
        verbose_name = _("tindak lanjut penilaian")
        verbose_name_plural = _("tindak lanjut penilaian")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    def get_predikat_display(self) -> str:
        """The predikat as a reader names it ("Butuh Perbaikan"), never its stored code."""
        from performance.choices import Predikat

        return str(Predikat(self.predikat).label) if self.predikat in Predikat.values else self.predikat


class PlanCoverageSummary(models.Model):
    """Summary rows of plan coverage: per agency and top-level unit (OPD) the active staff, plans (not archived),
    agreed plans, actions (not cancelled) and done actions. Rewritten by `careers.summaries`."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    staff = models.PositiveIntegerField(default=0)
    plans = models.PositiveIntegerField(default=0)
    agreed = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "unit"], name="uniq_plan_coverage_row")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.plans}/{self.staff}"


class MentoringCadenceSummary(models.Model):
    """Summary rows of mentoring cadence: per agency, unit and date of the last session (empty: never met) how
    many active staff were last met that day, so any number of days is one grouped read. Rewritten by
    `careers.summaries`."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    last_met = models.DateField(null=True)
    staff = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["agency", "unit", "last_met"], name="cadence_summary_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.last_met}: {self.staff}"


class FollowUpSummary(models.Model):
    """Summary rows of follow-up progress: per agency, year and unit the items by status. Rewritten by
    `careers.summaries`."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "unit"], name="uniq_follow_up_summary_row")]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id}: {self.done}/{self.total}"


class _TalentBoxCount(models.Model):
    """What both talent box summaries count: per review, agency, kind of post held, box and box in the previous
    published review, how many placements."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(TalentReview, on_delete=models.CASCADE, related_name="+")
    position_kind = models.CharField(max_length=30, blank=True)
    box = models.PositiveSmallIntegerField()
    # the box in the agency's previous published review (the 9-box page's movement); None: not placed there
    previous_box = models.PositiveSmallIntegerField(null=True, blank=True)
    employees = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class TalentBoxSummary(_TalentBoxCount):
    """Summary rows of the nine-box grid, its movement and the talent pool (`asn_portal.summaries` kind
    "careers.talent"): per review, employee's unit, kind of post held, box and box in the previous published
    review, how many placements. Rewritten per agency by
    `careers.talent.summaries`; `agency` is the employee's agency (the scope BKD admins read by)."""

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "unit", "position_kind", "box", "previous_box"],
                name="uniq_talent_box_summary_prev",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["review", "agency"], name="talent_box_summary_agency_idx")]
        verbose_name = _("rekap kotak talenta")
        verbose_name_plural = _("rekap kotak talenta")

    def __str__(self) -> str:
        return f"{self.review_id}/{self.unit_id}/{self.position_kind}/{self.box}/{self.previous_box}"


class TalentBoxAgencySummary(_TalentBoxCount):
    """The agency's total of `TalentBoxSummary` (same kind, rewritten with it): per review, employee's agency,
    kind of post, box and previous box, how many placements. A BKD admin's 9-box and pool read these few hundred
    rows instead of adding up the unit rows (~10,000 at 50,000 staff) on every request (issue #13)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "agency", "position_kind", "box", "previous_box"],
                name="uniq_talent_box_agency_summary",
                nulls_distinct=False,
            )
        ]
        verbose_name = _("rekap kotak talenta instansi")
        verbose_name_plural = _("rekap kotak talenta instansi")

    def __str__(self) -> str:
        return f"{self.review_id}/{self.agency_id}/{self.position_kind}/{self.box}/{self.previous_box}"
