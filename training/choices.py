"""Statuses and kinds for training (labels: the Indonesian wording of PerLAN 5/2018, regulations.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseMode(models.TextChoices):
    CLASSICAL = "klasikal", _("Klasikal")
    NONCLASSICAL = "nonklasikal", _("Nonklasikal")


class CourseFormat(models.TextChoices):
    LATSAR = "latsar", _("Pelatihan Dasar CPNS (Latsar)")
    PKP = "pkp", _("Pelatihan Kepemimpinan Pengawas (PKP)")
    PKA = "pka", _("Pelatihan Kepemimpinan Administrator (PKA)")
    PKN_II = "pkn_ii", _("Pelatihan Kepemimpinan Nasional Tingkat II (PKN II)")
    PKN_I = "pkn_i", _("Pelatihan Kepemimpinan Nasional Tingkat I (PKN I)")
    MANAGERIAL = "manajerial", _("Pelatihan manajerial")
    TECHNICAL = "teknis", _("Pelatihan teknis")
    FUNCTIONAL = "fungsional", _("Pelatihan fungsional")
    SOCIOCULTURAL = "sosial_kultural", _("Pelatihan sosial kultural")
    SEMINAR = "seminar", _("Seminar/konferensi/sarasehan")
    WORKSHOP = "workshop", _("Workshop/lokakarya")
    COURSE = "kursus", _("Kursus")
    BIMTEK = "bimtek", _("Bimbingan teknis")
    SOCIALISATION = "sosialisasi", _("Sosialisasi")
    E_LEARNING = "e_learning", _("E-learning")
    DISTANCE = "jarak_jauh", _("Pelatihan jarak jauh")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    INTERNSHIP = "magang", _("Magang/praktik kerja")
    BENCHMARKING = "benchmarking", _("Benchmarking/studi lapangan")
    SECONDMENT = "detasering", _("Detasering")
    EXCHANGE = "pertukaran", _("Pertukaran PNS dengan swasta/BUMN")
    SELF_STUDY = "belajar_mandiri", _("Belajar mandiri")
    COMMUNITY = "komunitas_belajar", _("Komunitas belajar")
    TEAM_BUILDING = "team_building", _("Team building")
    OTHER = "lainnya", _("Lainnya")


CLASSICAL_FORMATS = frozenset(
    {
        CourseFormat.LATSAR,
        CourseFormat.PKP,
        CourseFormat.PKA,
        CourseFormat.PKN_II,
        CourseFormat.PKN_I,
        CourseFormat.MANAGERIAL,
        CourseFormat.TECHNICAL,
        CourseFormat.FUNCTIONAL,
        CourseFormat.SOCIOCULTURAL,
        CourseFormat.SEMINAR,
        CourseFormat.WORKSHOP,
        CourseFormat.COURSE,
        CourseFormat.BIMTEK,
        CourseFormat.SOCIALISATION,
    }
)
LEADERSHIP_FORMATS = frozenset(
    {CourseFormat.LATSAR, CourseFormat.PKP, CourseFormat.PKA, CourseFormat.PKN_II, CourseFormat.PKN_I}
)


class OfferingStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    OPEN = "open", _("Pendaftaran dibuka")
    CLOSED = "closed", _("Pendaftaran ditutup")
    RUNNING = "running", _("Berlangsung")
    FINISHED = "finished", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class EnrollmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Diajukan")
    APPROVED = "approved", _("Disetujui atasan")
    ENROLLED = "enrolled", _("Terdaftar")
    WAITLISTED = "waitlisted", _("Daftar tunggu")
    ATTENDED = "attended", _("Hadir")
    COMPLETED = "completed", _("Lulus/selesai")
    FAILED = "failed", _("Tidak lulus")
    CANCELLED = "cancelled", _("Dibatalkan")
    NO_SHOW = "no_show", _("Tidak hadir")
    DECLINED = "declined", _("Ditolak atasan")


# A person holds at most one of these per offering (a partial unique constraint).
OPEN_ENROLLMENT_STATUSES = frozenset(
    {
        EnrollmentStatus.REQUESTED,
        EnrollmentStatus.APPROVED,
        EnrollmentStatus.ENROLLED,
        EnrollmentStatus.WAITLISTED,
        EnrollmentStatus.ATTENDED,
        EnrollmentStatus.COMPLETED,
        EnrollmentStatus.FAILED,
    }
)
SEAT_STATUSES = frozenset({EnrollmentStatus.ENROLLED, EnrollmentStatus.ATTENDED, EnrollmentStatus.COMPLETED})


class LearningKind(models.TextChoices):
    COURSE = "course", _("Pelatihan dari katalog")
    EXTERNAL = "external", _("Pembelajaran eksternal")
    MENTORING = "mentoring", _("Mentoring/coaching")
    OTHER = "other", _("Pengembangan nonklasikal lain")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")


class QuestionnaireKind(models.TextChoices):
    REACTION = "reaction", _("Evaluasi reaksi (setelah pelatihan)")
    FOLLOWUP = "followup", _("Evaluasi pascapelatihan (penerapan di tempat kerja)")


class RespondentRole(models.TextChoices):
    PARTICIPANT = "participant", _("Peserta")
    SUPERVISOR = "supervisor", _("Atasan langsung")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Skala 1–5")
    TEXT = "text", _("Jawaban bebas")
    YES_NO = "yes_no", _("Ya/Tidak")


class QuestionDimension(models.TextChoices):
    RELEVANCE = "relevance", _("Relevansi")
    APPLICABILITY = "applicability", _("Keterterapan")
    TRAINER = "trainer", _("Pengajar/fasilitator")
    MATERIAL = "material", _("Materi")
    ORGANISATION = "organisation", _("Penyelenggaraan")
    APPLICATION = "application", _("Penerapan di tempat kerja")
    GENERAL = "general", _("Umum")
