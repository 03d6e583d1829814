"""Statuses and kinds for promotions (labels: the Indonesian wording of regulations.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PromotionKind(models.TextChoices):
    """KP type (PP 99/2000 jo PP 12/2002, regulations.md §4.2)."""

    REGULAR = "reguler", _("KP Reguler")
    FUNCTIONAL = "fungsional", _("KP Pilihan – Jabatan Fungsional")
    STRUCTURAL = "struktural", _("KP Pilihan – Jabatan Struktural")


class QueueStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Memenuhi syarat")
    NEAR = "near", _("Hampir memenuhi syarat")
    BLOCKED = "blocked", _("Belum memenuhi syarat")
    PROPOSED = "proposed", _("Sudah diusulkan")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan unit")
    VERIFIED = "verified", _("Diverifikasi BKD")
    SENT = "sent", _("Dikirim ke BKN")
    APPROVED = "approved", _("Disetujui (SK terbit)")
    REJECTED = "rejected", _("Ditolak")


OPEN_PROPOSAL_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.VERIFIED, ProposalStatus.SENT)


class DocumentKind(models.TextChoices):
    """The BKD checklist for a KP proposal (bkd.batangkab.go.id checklist, regulations.md §4.3)."""

    LAST_RANK_DECREE = "sk_pangkat", _("SK pangkat terakhir")
    SKP_LAST_YEAR = "skp_1", _("SKP 1 tahun terakhir")
    SKP_YEAR_BEFORE = "skp_2", _("SKP 2 tahun terakhir")
    DIPLOMA = "ijazah", _("Ijazah terakhir")
    EXAM_CERTIFICATE = "stlud", _("Sertifikat ujian dinas (STLUD)")


class ExamLevel(models.TextChoices):
    """Ujian dinas: tingkat I to cross II/d → III/a, tingkat II to cross III/d → IV/a (§4.3)."""

    LEVEL_I = "tingkat_i", _("Ujian Dinas Tingkat I (II → III)")
    LEVEL_II = "tingkat_ii", _("Ujian Dinas Tingkat II (III → IV)")


class CreditCategory(models.TextChoices):
    EXPERTISE = "keahlian", _("Keahlian")
    SKILL = "keterampilan", _("Keterampilan")


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Dibuka")
    DECIDED = "decided", _("Rekomendasi tim")
    FILLED = "filled", _("Terisi")
    CANCELLED = "cancelled", _("Dibatalkan")
