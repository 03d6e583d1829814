"""Merit-based promotion queues: rank promotion (kenaikan pangkat) and promotion into posts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from asn_portal.models import TimeStampedModel
from asn_portal.uploads import RandomName, private_storage

from .choices import (
    CreditCategory,
    DocumentKind,
    ExamLevel,
    PromotionKind,
    ProposalStatus,
    QueueStatus,
    VacancyStatus,
)


class RuleSet(models.Model):
    """A version of the eligibility rules; every queue row and proposal records the version it was judged by."""

    version = models.CharField(_("versi"), max_length=30, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    effective_from = models.DateField(_("berlaku mulai"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("versi aturan KP")
        verbose_name_plural = _("versi aturan KP")

    def __str__(self) -> str:
        return self.version


class PromotionPeriod(models.Model):
    """A KP period (1 Feb, 1 Apr, 1 Jun, 1 Aug, 1 Oct, 1 Dec; Perban BKN 4/2023) with its submission window."""

    period_date = models.DateField(_("periode (TMT)"), unique=True)
    submission_opens = models.DateField(_("usulan dibuka"))
    submission_closes = models.DateField(_("usulan ditutup"))

    class Meta:
        ordering = ["period_date"]
        verbose_name = _("periode kenaikan pangkat")
        verbose_name_plural = _("periode kenaikan pangkat")

    def __str__(self) -> str:
        return date_format(self.period_date)


class EducationRankCap(models.Model):
    """Maximum rank reachable by KP Reguler for a diploma (Kepka BKN 12/2002, regulations.md §4.3); editable."""

    education_level = models.CharField(_("pendidikan"), max_length=15, unique=True)
    entry_rank_code = models.CharField(_("golongan awal"), max_length=8)
    max_rank_code = models.CharField(_("golongan maksimal KP reguler"), max_length=8)

    class Meta:
        ordering = ["education_level"]
        verbose_name = _("batas pangkat menurut ijazah")
        verbose_name_plural = _("batas pangkat menurut ijazah")

    def __str__(self) -> str:
        return f"{self.education_level}: {self.max_rank_code}"


class CreditPointThreshold(models.Model):
    """Cumulative credit points (AK) a functional official needs to rise from a rank (regulations.md §1.7)."""

    category = models.CharField(_("kategori"), max_length=15, choices=CreditCategory.choices)
    rank_code = models.CharField(_("golongan saat ini"), max_length=8)
    points = models.DecimalField(_("AK kumulatif"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["category", "rank_code"]
        constraints = [models.UniqueConstraint(fields=["category", "rank_code"], name="uniq_ak_threshold")]
        verbose_name = _("kebutuhan angka kredit")
        verbose_name_plural = _("kebutuhan angka kredit")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.rank_code}: {self.points}"


class CivilServiceExam(TimeStampedModel):
    """A passed ujian dinas (STLUD) of an employee."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="civil_service_exams")
    level = models.CharField(_("tingkat"), max_length=12, choices=ExamLevel.choices)
    exam_date = models.DateField(_("tanggal ujian"))
    certificate_number = models.CharField(_("nomor STLUD"), max_length=100, blank=True)

    class Meta:
        ordering = ["employee", "-exam_date"]
        constraints = [models.UniqueConstraint(fields=["employee", "level"], name="uniq_exam_level")]
        verbose_name = _("ujian dinas")
        verbose_name_plural = _("ujian dinas")

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.exam_date})"


class QueueEntry(models.Model):
    """One employee's place in a period's KP queue: eligible (with target rank), near or blocked, and why."""

    period = models.ForeignKey(PromotionPeriod, on_delete=models.CASCADE, related_name="entries")
    # The queue is a derived table rebuilt in bulk: only period and employee carry database FK constraints
    # (the others are checked at insert time by construction), which halves the commit of a 50,000-row COPY.
    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="promotion_queue")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    kind = models.CharField(_("jenis KP"), max_length=12, choices=PromotionKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=QueueStatus.choices)
    current_rank = models.ForeignKey("people.Rank", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    target_rank = models.ForeignKey(
        "people.Rank", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    failing = models.JSONField(_("syarat belum terpenuhi"), default=list, blank=True)
    next_eligible_date = models.DateField(_("periode memenuhi syarat"), null=True, blank=True)
    credit_points = models.DecimalField(_("AK"), max_digits=7, decimal_places=2, null=True, blank=True)
    rule_version = models.CharField(_("versi aturan"), max_length=30)
    computed_at = models.DateTimeField(_("dihitung"))

    class Meta:
        ordering = ["period", "employee__name"]
        constraints = [models.UniqueConstraint(fields=["period", "employee"], name="uniq_queue_entry")]
        indexes = [
            models.Index(fields=["period", "agency", "status"]),
            models.Index(fields=["period", "unit"]),
            models.Index(fields=["employee", "period"]),
        ]
        verbose_name = _("antrean kenaikan pangkat")
        verbose_name_plural = _("antrean kenaikan pangkat")

    def __str__(self) -> str:
        return f"{self.employee_id} @ {self.period}"


class QueueCountSummary(models.Model):
    """Summary rows of a period's KP queue per agency: how many people are eligible, near, blocked or proposed.
    Written by the queue build (from the counts it has just made) and again by every proposal or rejection that
    moves a person between statuses; the periods page, the queue page of a BKD admin and the BKD home card read
    these rows instead of counting an agency's 35,000 queue rows per request."""

    period = models.ForeignKey(PromotionPeriod, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=QueueStatus.choices)
    n = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("dihitung"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "agency", "status"], name="uniq_queue_count_summary")]
        verbose_name = _("rekap antrean kenaikan pangkat")
        verbose_name_plural = _("rekap antrean kenaikan pangkat")

    def __str__(self) -> str:
        return f"{self.period_id}/{self.agency_id} {self.status}: {self.n}"


class ProposalBatch(models.Model):
    """A batch of verified proposals sent to BKN for one period; its XLSX export is reproducible."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(PromotionPeriod, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("nomor kiriman"))
    sent_at = models.DateTimeField(_("dikirim"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["agency", "period", "number"], name="uniq_batch_number")]
        verbose_name = _("kiriman usulan ke BKN")
        verbose_name_plural = _("kiriman usulan ke BKN")

    def __str__(self) -> str:
        return f"{self.period} #{self.number}"


class PromotionProposal(TimeStampedModel):
    """A KP proposal (usulan KP) on its way from the unit through BKD verification and BKN to a decree."""

    period = models.ForeignKey(PromotionPeriod, on_delete=models.PROTECT, related_name="proposals")
    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="promotion_proposals")
    kind = models.CharField(_("jenis KP"), max_length=12, choices=PromotionKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    current_rank = models.ForeignKey("people.Rank", on_delete=models.PROTECT, related_name="+")
    target_rank = models.ForeignKey("people.Rank", on_delete=models.PROTECT, related_name="+")
    rule_version = models.CharField(_("versi aturan"), max_length=30)
    failing_at_proposal = models.JSONField(_("syarat belum terpenuhi saat diusulkan"), default=list, blank=True)
    override_reason = models.TextField(_("alasan pengecualian"), blank=True)
    late_reason = models.TextField(_("alasan usulan terlambat"), blank=True)
    needs_exam_certificate = models.BooleanField(_("perlu STLUD"), default=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    batch = models.ForeignKey(ProposalBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals")
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "employee"],
                condition=~Q(status="rejected"),
                name="uniq_open_proposal_per_period",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "period", "status"]),
            models.Index(fields=["employee", "status"]),
            # the proposals API's keyset pages (newest first) within an agency
            models.Index(fields=["agency", "-created_at", "-id"], name="promo_proposal_keyset_idx"),
        ]
        verbose_name = _("usulan kenaikan pangkat")
        verbose_name_plural = _("usulan kenaikan pangkat")

    def __str__(self) -> str:
        return f"Usulan KP #{self.pk}"


class ProposalDocument(models.Model):
    """A supporting file of a KP proposal (one per checklist item)."""

    proposal = models.ForeignKey(PromotionProposal, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to=RandomName("kenaikan-pangkat"), storage=private_storage)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "kind"]
        constraints = [models.UniqueConstraint(fields=["proposal", "kind"], name="uniq_proposal_doc_kind")]
        verbose_name = _("dokumen usulan")
        verbose_name_plural = _("dokumen usulan")

    def __str__(self) -> str:
        return self.original_name


class MeritWeights(models.Model):
    """Weights of the merit score for promotion into posts; agency=None is the documented default."""

    agency = models.OneToOneField(
        "people.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="merit_weights"
    )
    jpm = models.PositiveSmallIntegerField(_("bobot JPM"), default=35)
    performance = models.PositiveSmallIntegerField(_("bobot kinerja"), default=25)
    potential = models.PositiveSmallIntegerField(_("bobot potensi"), default=20)
    training = models.PositiveSmallIntegerField(_("bobot pelatihan"), default=10)
    qualification = models.PositiveSmallIntegerField(_("bobot kualifikasi"), default=10)

    class Meta:
        verbose_name = _("bobot skor merit")
        verbose_name_plural = _("bobot skor merit")

    def __str__(self) -> str:
        return str(self.agency or _("Bawaan nasional"))


class PositionVacancy(TimeStampedModel):
    """A vacancy (lowongan) for a post, filled by merit through the Tim Penilai Kinerja."""

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey("people.Position", on_delete=models.PROTECT, related_name="vacancies")
    status = models.CharField(_("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    notes = models.TextField(_("catatan"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    weights = models.JSONField(_("bobot yang dipakai"), default=dict, blank=True)
    ranked_at = models.DateTimeField(_("diperingkat"), null=True, blank=True)
    chosen = models.ForeignKey("people.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    chosen_rank = models.PositiveIntegerField(_("peringkat terpilih"), null=True, blank=True)
    justification = models.TextField(_("justifikasi"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    appointed_on = models.DateField(_("TMT pengangkatan"), null=True, blank=True)
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"], condition=Q(status__in=["open", "decided"]), name="uniq_open_vacancy_per_post"
            )
        ]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["agency", "decided_at"])]
        verbose_name = _("lowongan jabatan")
        verbose_name_plural = _("lowongan jabatan")

    def __str__(self) -> str:
        return f"Lowongan #{self.pk}"


class VacancyCandidate(models.Model):
    """A ranked candidate for a vacancy, with the components of their merit score and their sources."""

    vacancy = models.ForeignKey(PositionVacancy, on_delete=models.CASCADE, related_name="candidates")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(_("peringkat"))
    merit_score = models.DecimalField(_("skor merit"), max_digits=6, decimal_places=2)
    components = models.JSONField(_("komponen"), default=list)
    seniority_rank = models.PositiveIntegerField(_("peringkat senioritas"))
    from_talent_pool = models.BooleanField(_("dari kelompok talenta"), default=False)

    class Meta:
        ordering = ["vacancy", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "employee"], name="uniq_vacancy_candidate"),
            models.UniqueConstraint(fields=["vacancy", "rank"], name="uniq_vacancy_rank"),
        ]
        verbose_name = _("kandidat lowongan")
        verbose_name_plural = _("kandidat lowongan")

    def __str__(self) -> str:
        return f"{self.rank}. {self.employee_id}"
