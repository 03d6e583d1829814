"""Training catalogue, offerings (angkatan), enrolment, the JP ledger and evaluation questionnaires."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asn_portal.models import TimeStampedModel
from asn_portal.uploads import RandomName, private_storage

from .choices import (
    OPEN_ENROLLMENT_STATUSES,
    CourseFormat,
    CourseMode,
    EnrollmentStatus,
    LearningKind,
    OfferingStatus,
    QuestionDimension,
    QuestionKind,
    QuestionnaireKind,
    RespondentRole,
    VerificationStatus,
)

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class JpRate(models.Model):
    """How many JP one hour of a nonclassical learning form credits (BKD-editable; regulations.md §5
    found no national figure), with a cap per activity."""

    format = models.CharField(_("bentuk"), max_length=30, choices=CourseFormat.choices, unique=True)
    jp_per_hour = models.DecimalField(_("JP per jam"), max_digits=5, decimal_places=2)
    max_jp = models.DecimalField(_("JP maksimum per kegiatan"), max_digits=6, decimal_places=2, default=Decimal("40"))
    note = models.CharField(_("catatan/dasar"), max_length=255, blank=True)

    class Meta:
        ordering = ["format"]
        verbose_name = _("konversi JP nonklasikal")
        verbose_name_plural = _("konversi JP nonklasikal")

    def __str__(self) -> str:
        return f"{self.get_format_display()}: {self.jp_per_hour} JP/jam"


class Course(TimeStampedModel):
    """A catalogue entry (pelatihan): what it is, how many JP it credits and what it develops."""

    agency = models.ForeignKey("people.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("kode"), max_length=40)
    title = models.CharField(_("judul pelatihan"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)
    mode = models.CharField(_("jalur"), max_length=12, choices=CourseMode.choices)
    format = models.CharField(_("bentuk"), max_length=30, choices=CourseFormat.choices)
    provider = models.CharField(_("penyelenggara"), max_length=150)
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2)
    eligible_position_kinds = models.JSONField(
        _("jenis jabatan yang boleh ikut"), default=list, blank=True, help_text=_("Kosong = semua jenis jabatan.")
    )
    min_rank = models.ForeignKey(
        "people.Rank",
        verbose_name=_("pangkat minimum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    max_rank = models.ForeignKey(
        "people.Rank",
        verbose_name=_("pangkat maksimum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prerequisites = models.ManyToManyField(
        "self", verbose_name=_("prasyarat"), symmetrical=False, blank=True, related_name="required_by"
    )
    competencies = models.ManyToManyField(
        "competencies.Competency",
        through="CourseCompetency",
        verbose_name=_("kompetensi"),
        related_name="+",
        blank=True,
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="uniq_course_code_per_agency"),
            models.CheckConstraint(condition=Q(jp__gt=0) & Q(jp__lte=1000), name="course_jp_range"),
        ]
        indexes = [
            models.Index(fields=["agency", "is_active", "title"]),
            models.Index(fields=["agency", "format"]),
            models.Index(fields=["agency", "mode"]),
            models.Index(fields=["agency", "provider"]),
        ]
        verbose_name = _("pelatihan")
        verbose_name_plural = _("katalog pelatihan")

    def __str__(self) -> str:
        return self.title


class CourseCompetency(models.Model):
    """A competency a course develops and the level a participant reaches by completing it."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_competencies")
    competency = models.ForeignKey("competencies.Competency", on_delete=models.CASCADE, related_name="+")
    target_level = models.PositiveSmallIntegerField(_("level sasaran"), validators=LEVEL_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="uniq_course_competency"),
            models.CheckConstraint(condition=Q(target_level__gte=1, target_level__lte=5), name="course_level_1_5"),
        ]
        indexes = [models.Index(fields=["competency", "target_level"])]
        verbose_name = _("kompetensi yang dikembangkan")
        verbose_name_plural = _("kompetensi yang dikembangkan")

    def __str__(self) -> str:
        return f"{self.course_id} → {self.competency_id} (level {self.target_level})"


class CourseOffering(TimeStampedModel):
    """One scheduled run of a course (angkatan), with seats, an enrolment window and a trainer."""

    course = models.ForeignKey(Course, verbose_name=_("pelatihan"), on_delete=models.PROTECT, related_name="offerings")
    agency = models.ForeignKey("people.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("angkatan"), max_length=100)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    online_url = models.URLField(_("tautan daring"), blank=True)
    capacity = models.PositiveIntegerField(_("kuota"))
    seats_taken = models.PositiveIntegerField(_("kursi terisi"), default=0, editable=False)
    enrol_open = models.DateField(_("pendaftaran dibuka"))
    enrol_close = models.DateField(_("pendaftaran ditutup"))
    trainer = models.CharField(_("pengajar/fasilitator"), max_length=200, blank=True)
    requires_approval = models.BooleanField(_("perlu persetujuan atasan"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=OfferingStatus.choices, default=OfferingStatus.DRAFT)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=models.F("capacity")), name="offering_seats_le_capacity"
            ),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="offering_dates_order"),
            models.CheckConstraint(condition=Q(enrol_close__gte=models.F("enrol_open")), name="offering_window_order"),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "start_date"]),
            models.Index(fields=["course", "status", "start_date"]),
            models.Index(fields=["status", "enrol_close"]),
        ]
        verbose_name = _("angkatan pelatihan")
        verbose_name_plural = _("angkatan pelatihan")

    def __str__(self) -> str:
        return f"{self.course.title} – {self.name}"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


class Enrollment(TimeStampedModel):
    """A person's place in an offering (peserta), moved through the enrolment state machine."""

    offering = models.ForeignKey(CourseOffering, on_delete=models.PROTECT, related_name="enrollments")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="enrollments")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=EnrollmentStatus.choices)
    nominated_by = models.ForeignKey(
        "people.Employee",
        verbose_name=_("diusulkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(_("tanggal lulus"), null=True, blank=True)
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2, null=True, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    certificate_file = models.FileField(
        _("berkas sertifikat"), upload_to=RandomName("pelatihan/sertifikat"), storage=private_storage, blank=True
    )
    certificate_name = models.CharField(_("nama berkas sertifikat"), max_length=200, blank=True)
    reason = models.TextField(_("alasan/catatan"), blank=True)

    class Meta:
        ordering = ["offering", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "employee"],
                condition=Q(status__in=sorted(OPEN_ENROLLMENT_STATUSES)),
                name="uniq_open_enrollment",
            )
        ]
        indexes = [
            models.Index(fields=["offering", "status", "waitlisted_at"]),
            models.Index(fields=["employee", "status"]),
            models.Index(fields=["agency", "status"]),
            # The API list's order (newest first, then id): a scoped page reads the newest rows from the index.
            models.Index(fields=["-created_at", "id"], name="training_enr_newest_idx"),
            # A BKD admin's page of it: their agency's newest rows straight from the index (issue #13).
            models.Index(fields=["agency", "-created_at", "id"], name="training_enr_agency_newest_idx"),
        ]
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")

    def __str__(self) -> str:
        return f"{self.employee_id} @ {self.offering_id} ({self.status})"


class LearningRecord(TimeStampedModel):
    """One line of the JP ledger: learning an employee did on a date, worth `jp` jam pelajaran
    (1 JP = 45 minutes; PP 11/2017 jo. PP 17/2020 Pasal 203 ayat (4): at least 20 JP a year).
    `source_type` + `source_id` identify what credited it so each source counts once."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="learning_records")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    date = models.DateField(_("tanggal"))
    jp = models.DecimalField(_("JP"), max_digits=6, decimal_places=2)
    title = models.CharField(_("judul kegiatan"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=LearningKind.choices, default=LearningKind.OTHER)
    format = models.CharField(_("bentuk"), max_length=30, choices=CourseFormat.choices, blank=True)
    provider = models.CharField(_("penyelenggara"), max_length=150, blank=True)
    hours = models.DecimalField(_("durasi (jam)"), max_digits=6, decimal_places=2, null=True, blank=True)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_type = models.CharField(_("sumber"), max_length=40)
    source_id = models.CharField(_("id sumber"), max_length=64)
    status = models.CharField(
        _("verifikasi"), max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.VERIFIED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=100, blank=True)
    certificate_file = models.FileField(
        _("berkas sertifikat"), upload_to=RandomName("pelatihan/pembelajaran"), storage=private_storage, blank=True
    )
    certificate_name = models.CharField(_("nama berkas sertifikat"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "source_type", "source_id"], name="uniq_learning_source"),
            models.CheckConstraint(condition=Q(jp__gt=0) & Q(jp__lte=1000), name="learning_jp_range"),
        ]
        indexes = [
            # An employee's JP of a year (`jp_subquery`, a team page sums it per member) from the index alone.
            models.Index(fields=["employee", "year", "status"], include=["jp"], name="training_lr_employee_jp_idx"),
            models.Index(fields=["agency", "year", "status"]),
            models.Index(fields=["agency", "status", "date"]),
            # The ledger's default order: lets a scoped list read the newest rows from the index.
            models.Index(fields=["-date", "-id"], name="training_lr_newest_idx"),
        ]
        verbose_name = _("catatan pembelajaran (JP)")
        verbose_name_plural = _("catatan pembelajaran (JP)")

    def __str__(self) -> str:
        return f"{self.title} ({self.jp} JP)"

    @property
    def verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED


class YearlyJpSummary(models.Model):
    """An employee's closed JP total for one year (carried by the yearly job)."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", null=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    jp_total = models.DecimalField(_("total JP"), max_digits=7, decimal_places=2)
    records = models.PositiveIntegerField(_("jumlah kegiatan"), default=0)
    met_target = models.BooleanField(_("memenuhi 20 JP"), default=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="uniq_jp_summary")]
        indexes = [models.Index(fields=["agency", "year", "met_target"])]
        verbose_name = _("rekap JP tahunan")
        verbose_name_plural = _("rekap JP tahunan")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}: {self.jp_total} JP"


class QuestionnaireTemplate(TimeStampedModel):
    """A configurable evaluation questionnaire (reaction or follow-up) for one respondent role."""

    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=QuestionnaireKind.choices)
    respondent_role = models.CharField(
        _("responden"), max_length=12, choices=RespondentRole.choices, default=RespondentRole.PARTICIPANT
    )
    title = models.CharField(_("judul"), max_length=200)
    intro = models.TextField(_("pengantar"), blank=True)
    days_after_completion = models.PositiveSmallIntegerField(
        _("hari setelah selesai"), default=0, help_text=_("0 untuk evaluasi reaksi; 90 untuk evaluasi pascapelatihan.")
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "respondent_role"]
        indexes = [models.Index(fields=["kind", "respondent_role", "is_active"])]
        verbose_name = _("templat kuesioner")
        verbose_name_plural = _("templat kuesioner")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One item of a questionnaire template: a Likert 1–5 statement, a yes/no or a free-text question."""

    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    text = models.CharField(_("pertanyaan"), max_length=300)
    kind = models.CharField(_("jenis"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.LIKERT)
    dimension = models.CharField(
        _("aspek"), max_length=15, choices=QuestionDimension.choices, default=QuestionDimension.GENERAL
    )
    required = models.BooleanField(_("wajib"), default=True)
    confirms_application = models.BooleanField(
        _("menegaskan penerapan"),
        default=False,
        help_text=_("Jawaban 'Ya' atasan pada pertanyaan ini dicatat sebagai bukti kompetensi."),
    )

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("butir kuesioner")
        verbose_name_plural = _("butir kuesioner")

    def __str__(self) -> str:
        return self.text


class QuestionnaireResponse(TimeStampedModel):
    """A questionnaire issued to one respondent about one enrolment, and their answers once submitted."""

    template = models.ForeignKey(QuestionnaireTemplate, on_delete=models.PROTECT, related_name="responses")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="questionnaires")
    offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=QuestionnaireKind.choices)
    respondent_role = models.CharField(_("responden"), max_length=12, choices=RespondentRole.choices)
    issued_on = models.DateField(_("diterbitkan"))
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    applied = models.BooleanField(_("diterapkan di tempat kerja"), null=True, blank=True)
    assessment_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "kind", "respondent_role"], name="uniq_questionnaire_issue")
        ]
        indexes = [
            models.Index(fields=["respondent", "answered_at"]),
            models.Index(fields=["offering", "kind"]),
            models.Index(fields=["answered_at", "issued_on"]),
        ]
        verbose_name = _("kuesioner peserta")
        verbose_name_plural = _("kuesioner peserta")

    def __str__(self) -> str:
        return f"{self.template} → {self.respondent_id}"


class Answer(models.Model):
    """One answer to one question of a submitted questionnaire."""

    response = models.ForeignKey(QuestionnaireResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    likert = models.PositiveSmallIntegerField(null=True, blank=True, validators=LEVEL_VALIDATORS)
    yes_no = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="uniq_answer")]
        indexes = [models.Index(fields=["question", "likert"])]
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.likert or self.yes_no or self.text[:20]}"


class JpComplianceSummary(models.Model):
    """Summary rows of the 20 JP compliance report: per agency, top-level unit (OPD) and year, the active staff,
    how many reached 20 JP and the JP they earned (verified lines wherever recorded). Year 0 holds the headcount
    alone (a year nobody earned JP in). Rewritten per agency by `training.ledger.compliance.refresh`."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    headcount = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)
    with_jp = models.PositiveIntegerField(default=0)
    jp = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year", "unit"], name="uniq_jp_compliance_row")]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id}: {self.met}/{self.headcount}"


class JpUnitMetSummary(models.Model):
    """Summary rows of the 20 JP target per unit (any level, not rolled up to the OPD) and year: how many of the
    unit's active staff reached 20 JP (verified lines wherever recorded), by the staff's agency; only units where
    somebody did. Rewritten per agency with the compliance rows (`training.ledger.compliance.refresh`); the head's
    home card adds up the rows of their team's units (issue #13)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    met = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "agency"], name="uniq_jp_unit_met_row")]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id}: {self.met}"


class QuestionnaireRateSummary(models.Model):
    """Summary rows of the questionnaire results (kind "training.questionnaires"): per agency, questionnaire kind
    and respondent role, how many were issued and answered. Rewritten per agency by
    `training.questionnaires.summary.refresh`."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=QuestionnaireKind.choices)
    respondent_role = models.CharField(_("responden"), max_length=12, choices=RespondentRole.choices)
    issued = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "respondent_role"], name="uniq_questionnaire_rate_row")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind}/{self.respondent_role}: {self.answered}/{self.issued}"


class QuestionnaireQuestionSummary(models.Model):
    """Summary rows of the questionnaire results: per agency and question, the answers of submitted questionnaires
    (count; for a 1–5 question the sum, the count of scores and each score's count; for yes/no the yeses)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    answers = models.PositiveIntegerField(default=0)
    likert_n = models.PositiveIntegerField(default=0)
    likert_sum = models.PositiveIntegerField(default=0)
    c1 = models.PositiveIntegerField(default=0)
    c2 = models.PositiveIntegerField(default=0)
    c3 = models.PositiveIntegerField(default=0)
    c4 = models.PositiveIntegerField(default=0)
    c5 = models.PositiveIntegerField(default=0)
    yes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "question"], name="uniq_questionnaire_question_row")]

    def __str__(self) -> str:
        return f"{self.agency_id} q{self.question_id}: {self.answers}"


class QuestionnaireCourseSummary(models.Model):
    """Summary rows of the questionnaire results: per agency, course and year issued, the questionnaires issued and
    answered and the sum and count of their 1–5 scores (the course's reaction average)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    issued = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    likert_n = models.PositiveIntegerField(default=0)
    likert_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "course"], name="uniq_questionnaire_course_row")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.course_id}: {self.answered}/{self.issued}"
