"""Kinds, purposes, methods and JPM categories for competencies (labels: official Indonesian wording)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetencyKind(models.TextChoices):
    """PermenPANRB 38/2017 Pasal 1: the three groups of the Standar Kompetensi Jabatan ASN."""

    TECHNICAL = "technical", _("Teknis")
    MANAGERIAL = "managerial", _("Manajerial")
    SOCIOCULTURAL = "sociocultural", _("Sosial Kultural")


class AssessmentPurpose(models.TextChoices):
    """Regulations.md §2.4: the purpose picks the JPM category scale."""

    FILLING = "filling", _("Pengisian jabatan")
    MAPPING = "mapping", _("Pemetaan kompetensi")


class AssessmentMethod(models.TextChoices):
    ASSESSMENT_CENTER = "assessment_center", _("Assessment center")
    COMPETENCY_TEST = "competency_test", _("Uji kompetensi")
    CAT = "cat", _("CAT (computer assisted test)")
    SUPERVISOR = "supervisor", _("Penilaian atasan")
    SUPERVISOR_AFTER_TRAINING = "supervisor_after_training", _("Penilaian atasan setelah pelatihan")
    SELF = "self", _("Penilaian mandiri")
    MENTORING_OBSERVATION = "mentoring_observation", _("Observasi bimbingan")


class JpmCategory(models.TextChoices):
    """Regulations.md §2.4: MS/MMS/KMS for filling a post, O/CO/KO for competency mapping."""

    MS = "ms", _("Memenuhi Syarat (MS)")
    MMS = "mms", _("Masih Memenuhi Syarat (MMS)")
    KMS = "kms", _("Kurang Memenuhi Syarat (KMS)")
    OPTIMAL = "optimal", _("Optimal")
    CUKUP_OPTIMAL = "cukup_optimal", _("Cukup Optimal")
    KURANG_OPTIMAL = "kurang_optimal", _("Kurang Optimal")


class ImportStatus(models.TextChoices):
    PARSING = "parsing", _("Sedang dibaca")
    PREVIEW = "preview", _("Pratinjau")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    FAILED = "failed", _("Ditolak")


LEVEL_CHOICES = [(i, str(i)) for i in range(1, 6)]
