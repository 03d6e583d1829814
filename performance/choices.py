"""Statuses and enums of the SKP (PermenPANRB 6/2022); labels are the regulation's wording."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Predikat(models.TextChoices):
    """Predikat kinerja pegawai, best to worst (PermenPANRB 6/2022 §1.4)."""

    SANGAT_BAIK = "sangat_baik", _("Sangat Baik")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang/Misconduct")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class Expectation(models.TextChoices):
    """Rating hasil kerja / rating perilaku kerja."""

    ABOVE = "above", _("Di Atas Ekspektasi")
    MEETS = "meets", _("Sesuai Ekspektasi")
    BELOW = "below", _("Di Bawah Ekspektasi")


class UnitRating(models.TextChoices):
    """Predikat kinerja organisasi (SE MenPANRB 3/2023)."""

    ISTIMEWA = "istimewa", _("Istimewa")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class Approach(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Kuantitatif")
    QUALITATIVE = "qualitative", _("Kualitatif")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    APPROVED = "approved", _("Disetujui")
    EVALUATED = "evaluated", _("Dinilai")
    FINAL = "final", _("Final")
    OBJECTED = "objected", _("Keberatan")
    RESOLVED = "resolved", _("Keberatan diputus")


class ResultKind(models.TextChoices):
    MAIN = "main", _("Utama")
    ADDITIONAL = "additional", _("Tambahan")


class Perspective(models.TextChoices):
    """Perspektif for JPT SKP (balanced-scorecard style)."""

    SERVICE_RECIPIENTS = "service_recipients", _("Penerima Layanan")
    BUSINESS_PROCESS = "business_process", _("Proses Bisnis")
    INTERNAL_STRENGTHENING = "internal_strengthening", _("Penguatan Internal")
    BUDGET = "budget", _("Anggaran")


class Aspect(models.TextChoices):
    QUANTITY = "quantity", _("Kuantitas")
    QUALITY = "quality", _("Kualitas")
    TIME = "time", _("Waktu")
    COST = "cost", _("Biaya")


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", _("Bulanan")
    QUARTERLY = "quarterly", _("Triwulanan")
    HALF_YEARLY = "half_yearly", _("Semesteran")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")


class PredikatSource(models.TextChoices):
    APPRAISAL = "appraisal", _("Penilaian SKP")
    IMPORT = "import", _("Impor data lama")


class EvaluationStatus(models.TextChoices):
    PENDING = "pending", _("Belum dinilai")
    EVALUATED = "evaluated", _("Sudah dinilai")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Diajukan")
    UPHELD = "upheld", _("Diterima")
    REJECTED = "rejected", _("Ditolak")


class CalibrationStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    FINAL = "final", _("Final")


class DistributionComparator(models.TextChoices):
    MIN = "min", _("minimal")
    MAX = "max", _("maksimal")


class PredikatImportStatus(models.TextChoices):
    PARSING = "parsing", _("Sedang dibaca")
    PREVIEW = "preview", _("Pratinjau")
    CONFIRMED = "confirmed", _("Dikonfirmasi")
    FAILED = "failed", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")
