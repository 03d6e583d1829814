"""Statuses and kinds for career plans, mentoring, talent management and appraisal follow-up."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan ke atasan")
    AGREED = "agreed", _("Disepakati")
    REVISION = "revision", _("Perlu perbaikan")
    ARCHIVED = "archived", _("Diarsipkan")


class ActionKind(models.TextChoices):
    TRAINING = "training", _("Pelatihan")
    MENTORING = "mentoring", _("Mentoring/coaching")
    ASSIGNMENT = "assignment", _("Penugasan (on-the-job)")
    ROTATION = "rotation", _("Rotasi")
    EDUCATION = "education", _("Pendidikan formal")
    SELF_STUDY = "self_study", _("Belajar mandiri")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    IN_PROGRESS = "in_progress", _("Berjalan")
    DONE = "done", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class ActionSource(models.TextChoices):
    MANUAL = "manual", _("Diisi pegawai")
    GAP = "gap", _("Draf dari kesenjangan")
    FOLLOW_UP = "follow_up", _("Tindak lanjut penilaian")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("Tatap muka")
    ONLINE = "online", _("Daring")


class SessionKind(models.TextChoices):
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    COUNSELLING = "counselling", _("Konseling")
    DIALOGUE = "dialogue", _("Dialog kinerja")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    DONE = "done", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    COMPUTING = "computing", _("Sedang dihitung")
    COMPUTED = "computed", _("Dihitung, menunggu tinjauan")
    PUBLISHED = "published", _("Diumumkan")


class PerformanceBand(models.TextChoices):
    BELOW = "below", _("Di bawah ekspektasi")
    MEETS = "meets", _("Sesuai ekspektasi")
    ABOVE = "above", _("Di atas ekspektasi")


class PotentialBand(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Menengah")
    HIGH = "high", _("Tinggi")


class Readiness(models.TextChoices):
    NOW = "now", _("Siap sekarang")
    ONE_TWO = "1_2", _("1–2 tahun")
    LATER = "later", _(">2 tahun")


class FollowUpKind(models.TextChoices):
    RECOGNITION = "recognition", _("Penghargaan")
    DEVELOPMENT = "development", _("Kesempatan pengembangan")
    COACHING = "coaching", _("Rencana pembinaan (bimbingan kinerja)")


class DevelopmentOpportunity(models.TextChoices):
    SPECIALISED_COURSE = "specialised_course", _("Nominasi pelatihan teknis/spesialis")
    LEADERSHIP_COURSE = "leadership_course", _("Nominasi pelatihan kepemimpinan")
    FURTHER_EDUCATION = "further_education", _("Pendidikan lanjutan (tugas/izin belajar)")
    TALENT_POOL = "talent_pool", _("Usulan masuk kelompok rencana suksesi")


class FollowUpStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan sistem")
    CONFIRMED = "confirmed", _("Dikonfirmasi atasan")
    ADJUSTED = "adjusted", _("Disesuaikan atasan")
    DONE = "done", _("Terlaksana")
    CANCELLED = "cancelled", _("Dibatalkan")
