"""Agencies, organisation units, positions, ranks, employees and their histories."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from asn_portal.models import TimeStampedModel
from asn_portal.uploads import RandomName, private_storage

from .choices import (
    AccessPart,
    AccessPurpose,
    ActingKind,
    AgencyRoleKind,
    EducationLevel,
    EmployeeStatus,
    EmploymentType,
    FunctionalLevel,
    Gender,
    ImportKind,
    ImportStatus,
    PositionType,
    RankScheme,
    SanctionLevel,
    UnitKind,
)
from .managers import EmployeeQuerySet


class User(AbstractUser):
    """A login account; staff accounts are linked to one Employee."""

    class Meta:
        verbose_name = _("akun")
        verbose_name_plural = _("akun")


class Agency(TimeStampedModel):
    """A government body that employs ASN (instansi), e.g. Pemerintah Kota Medan: the tenant."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama instansi"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60, blank=True)
    region = models.CharField(_("daerah"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.name


class AgencyRole(models.Model):
    """A user's role in an agency beyond being staff: BKD admin or committee member."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agency_roles")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=20, choices=AgencyRoleKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_agency_role")]
        verbose_name = _("peran instansi")
        verbose_name_plural = _("peran instansi")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class OrgUnit(TimeStampedModel):
    """An organisation unit (OPD, bidang, subbidang …) in an agency's tree.

    `path` is a materialised path of ids ("/3/17/42/") so a whole subtree is one indexed
    `path__startswith` filter."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("unit induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama unit"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    head_position = models.ForeignKey(
        "Position",
        verbose_name=_("jabatan kepala"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )
    acting_head = models.ForeignKey(
        "Employee",
        verbose_name=_("Plt./Plh. kepala"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="acting_units",
    )
    acting_kind = models.CharField(_("jenis penugasan"), max_length=5, choices=ActingKind.choices, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="uniq_unit_code_per_agency")]
        indexes = [models.Index(fields=["agency", "path"])]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent_id and self.parent else '/'}{self.pk}/"

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = self.compute_path()
        if path != self.path:
            self.path = path
            self.depth = path.count("/") - 2
            OrgUnit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)


class Rank(models.Model):
    """A civil-service rank: PNS golongan/ruang with its pangkat name, or a PPPK grade (data migration)."""

    scheme = models.CharField(_("skema"), max_length=5, choices=RankScheme.choices, default=RankScheme.PNS)
    code = models.CharField(_("golongan/ruang"), max_length=8)
    name = models.CharField(_("pangkat"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        ordering = ["scheme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="uniq_rank_code"),
            models.UniqueConstraint(fields=["scheme", "order"], name="uniq_rank_order"),
        ]
        verbose_name = _("pangkat/golongan")
        verbose_name_plural = _("pangkat/golongan")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code

    @property
    def group(self) -> str:
        """The golongan (I, II, III, IV) of a PNS rank."""
        return self.code.split("/")[0]


class Position(TimeStampedModel):
    """A post (jabatan) in a unit, with its type, grade and formasi (how many holders it allows)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="positions")
    code = models.CharField(_("kode"), max_length=40)
    title = models.CharField(_("nama jabatan"), max_length=200)
    kind = models.CharField(_("jenis jabatan"), max_length=30, choices=PositionType.choices)
    functional_level = models.CharField(
        _("jenjang fungsional"), max_length=20, choices=FunctionalLevel.choices, blank=True
    )
    job_class = models.PositiveSmallIntegerField(_("kelas jabatan"), null=True, blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("atasan jabatan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
    )
    headcount = models.PositiveSmallIntegerField(_("formasi"), default=1)
    is_key = models.BooleanField(_("jabatan kunci/kritikal"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__path", "title"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="uniq_position_code_per_agency")]
        indexes = [models.Index(fields=["agency", "kind"])]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")

    def __str__(self) -> str:
        return self.title


class Employee(TimeStampedModel):
    """A civil servant (pegawai ASN: PNS, CPNS or PPPK) with current post and rank."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="employees")
    user = models.OneToOneField(
        User, verbose_name=_("akun"), null=True, blank=True, on_delete=models.SET_NULL, related_name="employee"
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    front_title = models.CharField(_("gelar depan"), max_length=40, blank=True)
    name = models.CharField(_("nama"), max_length=150)
    back_title = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    employment_type = models.CharField(
        _("jenis kepegawaian"), max_length=5, choices=EmploymentType.choices, default=EmploymentType.PNS
    )
    education_level = models.CharField(_("pendidikan terakhir"), max_length=15, choices=EducationLevel.choices)
    education_field = models.CharField(_("jurusan"), max_length=120, blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="employees")
    position = models.ForeignKey(
        Position, verbose_name=_("jabatan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="holders"
    )
    position_start_date = models.DateField(_("TMT jabatan"), null=True, blank=True)
    rank = models.ForeignKey(
        Rank, verbose_name=_("pangkat/golongan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rank_start_date = models.DateField(_("TMT pangkat"), null=True, blank=True)
    cpns_date = models.DateField(_("TMT CPNS"), null=True, blank=True)
    pns_date = models.DateField(_("TMT PNS"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE)
    supervisor_override = models.ForeignKey(
        "self",
        verbose_name=_("atasan (Plt./Plh.)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Diisi bila atasan langsung dijabat Plt./Plh."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    # Former employees (UU PDP Pasal 43-44): when they left, and when their personal fields were pseudonymised.
    separated_on = models.DateField(_("tanggal berhenti"), null=True, blank=True)
    pseudonymised_at = models.DateTimeField(_("dipseudonimkan"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["agency", "name"]),
            # the employees API's keyset pages: (name, id) > (cursor) within an agency
            models.Index(fields=["agency", "name", "id"], name="people_empl_keyset_idx"),
            models.Index(fields=["name"], name="people_empl_name_idx"),
            # the directory's and the API's name search (`name__icontains`, i.e. UPPER(name) LIKE '%…%'):
            # a trigram index instead of reading every row of the agency (issue #13)
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="people_empl_name_trgm"),
            models.Index(fields=["agency", "status", "name"]),
            models.Index(fields=["unit", "name"]),
            models.Index(fields=["rank", "name"]),
            # the free-post picker (Promosi: lowongan) tests each post's holders by (position, status)
            models.Index(fields=["position", "status"], name="people_empl_position_status"),
        ]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = f"{self.front_title} {self.name}".strip()
        return f"{name}, {self.back_title}" if self.back_title else name

    @property
    def nip_display(self) -> str:
        n = self.nip
        return f"{n[:8]} {n[8:14]} {n[14:15]} {n[15:]}" if len(n) == 18 else n


class PositionHistory(models.Model):
    """One appointment to a post (riwayat jabatan), with its decree (SK)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="position_history")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position_title = models.CharField(_("nama jabatan"), max_length=200)
    unit_name = models.CharField(_("unit kerja"), max_length=200, blank=True)
    start_date = models.DateField(_("TMT"))
    end_date = models.DateField(_("sampai"), null=True, blank=True)
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    is_acting = models.BooleanField(_("Plt./Plh."), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-start_date"]
        indexes = [models.Index(fields=["employee", "-start_date"])]
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")

    def __str__(self) -> str:
        return f"{self.position_title} ({self.start_date})"


class RankHistory(models.Model):
    """One rank held (riwayat pangkat), with its decree (SK) and TMT."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="rank_history")
    rank = models.ForeignKey(Rank, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("TMT"))
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    promotion_kind = models.CharField(_("jenis kenaikan"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-start_date"]
        indexes = [models.Index(fields=["employee", "-start_date"])]
        verbose_name = _("riwayat pangkat")
        verbose_name_plural = _("riwayat pangkat")

    def __str__(self) -> str:
        return f"{self.rank} ({self.start_date})"


class DisciplinarySanction(models.Model):
    """A disciplinary penalty (hukuman disiplin); while in force it blocks promotion."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="sanctions")
    level = models.CharField(_("tingkat"), max_length=10, choices=SanctionLevel.choices)
    description = models.CharField(_("jenis hukuman"), max_length=200)
    start_date = models.DateField(_("mulai berlaku"))
    end_date = models.DateField(_("berakhir"), null=True, blank=True)
    decree_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-start_date"]
        indexes = [models.Index(fields=["employee", "end_date"])]
        verbose_name = _("hukuman disiplin")
        verbose_name_plural = _("hukuman disiplin")

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.description}"


class ImportBatch(TimeStampedModel):
    """One bulk-import upload (pegawai, unit kerja or jabatan) kept server-side between preview and confirm.

    `rows` holds the parsed, validated rows as JSON: [{"line", "action", "key", "data", "errors", "warnings"}]."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="import_batches")
    kind = models.CharField(_("jenis data"), max_length=12, choices=ImportKind.choices)
    filename = models.CharField(_("nama berkas"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    # The upload until the worker has read it (people.tasks.import_batch_parse); emptied once read.
    source = models.FileField(
        _("berkas unggahan"), upload_to=RandomName("impor/pegawai"), storage=private_storage, blank=True
    )
    rows = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    only_valid = models.BooleanField(_("impor hanya baris valid"), default=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "-created_at"])]
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    @property
    def progress(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 100


class RecordAccess(models.Model):
    """One read of a person's record by someone else (UU PDP 27/2022 accountability, issue #16).

    Written in bulk off the request path by `people.access_log`; never updated; pruned after
    `ACCESS_LOG_RETENTION_DAYS`. Rows of one export share `export_id` (the list the read was part of)."""

    id = models.BigAutoField(primary_key=True)
    viewer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False)
    viewer_employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    subject = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    part = models.CharField(_("bagian data"), max_length=20, choices=AccessPart.choices)
    purpose = models.CharField(_("tujuan"), max_length=12, choices=AccessPurpose.choices)
    via = models.CharField(_("melalui"), max_length=120)
    export_id = models.UUIDField(_("ekspor"), null=True, blank=True)
    stated_purpose = models.CharField(_("tujuan yang dinyatakan"), max_length=300, blank=True)
    # The subject worked outside the viewer's own unit subtree at the time of the read (set when written).
    outside_unit = models.BooleanField(_("di luar unit pengakses"), default=False)
    at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="people_access_subject_idx"),
            models.Index(fields=["agency", "-at"], name="people_access_agency_idx"),
            models.Index(fields=["viewer", "-at"], name="people_access_viewer_idx"),
            models.Index(fields=["at"], name="people_access_at_idx"),
        ]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")

    def __str__(self) -> str:
        return f"{self.viewer_id} → {self.subject_id} ({self.part}, {self.at:%Y-%m-%d %H:%M})"


class UnitHeadcount(models.Model):
    """Summary row (issue #13): how many of a unit's employees have one status and employment type. Rewritten per
    agency by `people.headcount.refresh` whenever the people services add, move or change employees (the org
    chart and the home cards read it instead of counting 50,000 employees per request)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=EmployeeStatus.choices)
    employment_type = models.CharField(_("jenis kepegawaian"), max_length=5, choices=EmploymentType.choices)
    n = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "status", "employment_type"], name="people_headcount_unique")
        ]
        indexes = [models.Index(fields=["agency", "status"], name="people_headcount_agency_idx")]
        verbose_name = _("jumlah pegawai unit")
        verbose_name_plural = _("jumlah pegawai unit")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.status}/{self.employment_type}: {self.n}"


from .privacy_models import (  # noqa: E402, F401  (registers the models)
    AccessDaily,
    AccessExport,
    AccessViewerSubject,
    CorrectionRequest,
    DataExportRequest,
)
