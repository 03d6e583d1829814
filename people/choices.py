"""Statuses and kinds for the people app (labels: the official Indonesian wording)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    SECRETARIAT = "sekretariat", _("Sekretariat")
    INSPECTORATE = "inspektorat", _("Inspektorat")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    BAGIAN = "bagian", _("Bagian")
    BIDANG = "bidang", _("Bidang")
    SUBBIDANG = "subbidang", _("Subbidang/Seksi")
    UPTD = "uptd", _("UPTD")
    OTHER = "lainnya", _("Lainnya")


class PositionType(models.TextChoices):
    JPT_UTAMA = "jpt_utama", _("JPT Utama")
    JPT_MADYA = "jpt_madya", _("JPT Madya")
    JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    PELAKSANA = "pelaksana", _("Pelaksana")
    FUNGSIONAL_KEAHLIAN = "fungsional_keahlian", _("Fungsional Keahlian")
    FUNGSIONAL_KETERAMPILAN = "fungsional_keterampilan", _("Fungsional Keterampilan")


MANAGERIAL_TYPES = frozenset(
    {
        PositionType.JPT_UTAMA,
        PositionType.JPT_MADYA,
        PositionType.JPT_PRATAMA,
        PositionType.ADMINISTRATOR,
        PositionType.PENGAWAS,
    }
)
FUNCTIONAL_TYPES = frozenset({PositionType.FUNGSIONAL_KEAHLIAN, PositionType.FUNGSIONAL_KETERAMPILAN})


class FunctionalLevel(models.TextChoices):
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama")
    PEMULA = "pemula", _("Pemula")
    TERAMPIL = "terampil", _("Terampil")
    MAHIR = "mahir", _("Mahir")
    PENYELIA = "penyelia", _("Penyelia")


class RankScheme(models.TextChoices):
    PNS = "pns", _("PNS (golongan/ruang)")
    PPPK = "pppk", _("PPPK (golongan)")


class EmploymentType(models.TextChoices):
    PNS = "pns", _("PNS")
    CPNS = "cpns", _("CPNS")
    PPPK = "pppk", _("PPPK")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class EducationLevel(models.TextChoices):
    """Highest diploma, in the order of the KP Reguler cap table (regulations.md §4.3)."""

    SD = "sd", _("SD")
    SLTP = "sltp", _("SLTP")
    SLTP_KEJURUAN = "sltp_kejuruan", _("SLTP Kejuruan")
    SLTA = "slta", _("SLTA/SLTA Kejuruan")
    D1 = "d1", _("Diploma I")
    D2 = "d2", _("Diploma II")
    SGPLB = "sgplb", _("SGPLB")
    D3 = "d3", _("Diploma III/Sarjana Muda")
    D4 = "d4", _("Diploma IV")
    S1 = "s1", _("S1")
    PROFESI = "profesi", _("Dokter/Apoteker")
    S2 = "s2", _("S2")
    S3 = "s3", _("S3")


EDUCATION_ORDER = {level: i for i, level in enumerate(EducationLevel.values)}


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    LEAVE = "leave", _("Cuti")
    STUDY = "study", _("Tugas belajar")
    SECONDED = "seconded", _("Diperbantukan")
    SUSPENDED = "suspended", _("Diberhentikan sementara")
    RETIRED = "retired", _("Pensiun")
    RESIGNED = "resigned", _("Berhenti")
    DECEASED = "deceased", _("Meninggal dunia")
    TRANSFERRED = "transferred", _("Pindah instansi")


# Former employees (issue #16): the account is deactivated when the status becomes one of these.
FORMER_STATUSES = frozenset(
    {EmployeeStatus.RETIRED, EmployeeStatus.RESIGNED, EmployeeStatus.DECEASED, EmployeeStatus.TRANSFERRED}
)

ACTIVE_STATUSES = frozenset(
    {EmployeeStatus.ACTIVE, EmployeeStatus.LEAVE, EmployeeStatus.STUDY, EmployeeStatus.SECONDED}
)


class SanctionLevel(models.TextChoices):
    LIGHT = "ringan", _("Ringan")
    MODERATE = "sedang", _("Sedang")
    SEVERE = "berat", _("Berat")


class ActingKind(models.TextChoices):
    PLT = "plt", _("Plt. (Pelaksana Tugas)")
    PLH = "plh", _("Plh. (Pelaksana Harian)")


class AgencyRoleKind(models.TextChoices):
    HR_ADMIN = "hr_admin", _("Admin BKD")
    COMMITTEE = "committee", _("Tim Penilai Kinerja")


class ImportKind(models.TextChoices):
    EMPLOYEES = "employees", _("Pegawai")
    UNITS = "units", _("Unit kerja")
    POSITIONS = "positions", _("Jabatan")


class ImportStatus(models.TextChoices):
    PARSING = "parsing", _("Sedang dibaca")
    PREVIEW = "preview", _("Pratinjau")
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class RowAction(models.TextChoices):
    CREATE = "create", _("Baru")
    UPDATE = "update", _("Diperbarui")
    UNCHANGED = "unchanged", _("Tidak berubah")
    REJECT = "reject", _("Ditolak")


class AccessPart(models.TextChoices):
    """Which part of a person's record was read (issue #16, "Siapa melihat data saya")."""

    PROFILE = "profil", _("Profil")
    DIRECTORY = "direktori", _("Daftar pegawai")
    COMPETENCY = "kompetensi", _("Profil kompetensi")
    SKP = "skp", _("SKP")
    TRAINING = "pelatihan", _("Riwayat pelatihan")
    CAREER_PLAN = "rencana_karier", _("Rencana karier")
    MENTORING = "mentoring", _("Bimbingan (mentoring)")
    TALENT = "talenta", _("Penempatan talenta")
    PROMOTION = "kenaikan_pangkat", _("Kenaikan pangkat")
    TIMELINE = "linimasa", _("Linimasa karier")
    ACCESS_LOG = "log_akses", _("Log akses data")


class AccessPurpose(models.TextChoices):
    """Why the record was read, derived from the part (or stated, for exports of personal data)."""

    HR_SERVICE = "layanan", _("Layanan kepegawaian")
    PERFORMANCE = "kinerja", _("Penilaian kinerja")
    DEVELOPMENT = "pengembangan", _("Pengembangan kompetensi")
    COACHING = "pembinaan", _("Pembinaan karier")
    EXPORT = "ekspor", _("Ekspor data")
    SUPERVISION = "pengawasan", _("Pengawasan akses data")


class DataExportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang disiapkan")
    READY = "ready", _("Siap diunduh")
    FAILED = "failed", _("Gagal")
    EXPIRED = "expired", _("Kedaluwarsa")


class CorrectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik")
