"""Models for the data subject's rights under UU PDP 27/2022 (issue #16): a copy of one's data on request
and corrections proposed to the BKD. Imported by people.models so Django registers them."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from asn_portal.models import TimeStampedModel
from asn_portal.uploads import RandomName, private_storage

from .choices import CorrectionStatus, DataExportStatus

PENDING_EXPORT = (DataExportStatus.QUEUED, DataExportStatus.RUNNING)


class DataExportRequest(TimeStampedModel):
    """An employee's request for a copy of everything the portal holds on them (UU PDP Pasal 7 and 13):
    a ZIP prepared by a background job, downloadable by the owner until `expires_at`."""

    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        "people.User", verbose_name=_("diminta oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan"), default=0)
    file = models.FileField(
        _("berkas"), storage=private_storage, upload_to=RandomName("data-exports"), blank=True, max_length=200
    )
    size = models.PositiveIntegerField(_("ukuran"), default=0)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One pending request per person: a double click or a second tab cannot start a second job.
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(status__in=["queued", "running"]),
                name="uniq_pending_data_export",
            )
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]
        verbose_name = _("permintaan salinan data")
        verbose_name_plural = _("permintaan salinan data")

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_EXPORT

    @property
    def download_name(self) -> str:
        return f"data-saya-{self.created_at:%Y%m%d-%H%M}.zip"


class CorrectionRequest(TimeStampedModel):
    """A correction (pemutakhiran data) an employee proposes to their own record, decided by a BKD admin of
    their agency (UU PDP Pasal 6: hak memperbarui dan/atau memperbaiki kesalahan dan/atau ketidakakuratan).

    `changes` maps each field to {"old": …, "new": …} captured at submission; a position-history entry is
    keyed "position_history.<id>.<field>"."""

    employee = models.ForeignKey(
        "people.Employee", verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="corrections"
    )
    agency = models.ForeignKey("people.Agency", verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="+")
    submitted_by = models.ForeignKey(
        "people.User", verbose_name=_("diajukan oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("perubahan"), default=dict)
    reason = models.TextField(_("alasan"))
    document = models.FileField(
        _("dokumen pendukung"), storage=private_storage, upload_to=RandomName("corrections"), blank=True
    )
    document_name = models.CharField(_("nama dokumen"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        "people.User",
        verbose_name=_("diputus oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    decided_at = models.DateTimeField(_("diputus"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open correction per person: the BKD decides on one coherent set of changes at a time.
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(status="submitted"), name="uniq_open_correction"
            )
        ]
        indexes = [models.Index(fields=["agency", "status", "-created_at"])]
        verbose_name = _("usulan pemutakhiran data")
        verbose_name_plural = _("usulan pemutakhiran data")

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.get_status_display()}"


class AccessDaily(models.Model):
    """The access log rolled up per agency, local day, viewer, part and purpose (issue #16): what the BKD access
    report reads instead of the raw log. Kept by `people.access_rollup` in the statement that writes the log
    entries, rebuilt per day by a nightly job and by the retention prune. The people read are kept as sorted
    distinct id arrays so "how many people" stays exact over any window (a distinct count does not add up)."""

    agency = models.ForeignKey(
        "people.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False, verbose_name=_("instansi")
    )
    day = models.DateField(_("tanggal"))
    viewer_id = models.BigIntegerField(_("akun pengakses"), default=0)  # 0: the account no longer exists
    part = models.CharField(_("bagian data"), max_length=20)
    purpose = models.CharField(_("tujuan"), max_length=12)
    reads = models.PositiveIntegerField(_("jumlah akses"), default=0)
    last_at = models.DateTimeField(_("akses terakhir"))
    subjects = ArrayField(models.BigIntegerField(), verbose_name=_("pegawai"), default=list)
    outside_subjects = ArrayField(models.BigIntegerField(), verbose_name=_("pegawai di luar unit"), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "day", "viewer_id", "part", "purpose"], name="uniq_access_daily_key"
            )
        ]
        verbose_name = _("rekap harian akses data")
        verbose_name_plural = _("rekap harian akses data")

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.day} · {self.viewer_id} · {self.part}"


class AccessViewerSubject(models.Model):
    """Per (agency, viewer, person read) the last local day of a read, and of a read outside the viewer's unit
    (issue #13): "how many people did this viewer read since day X" is then a count of rows, not a distinct
    count over the AccessDaily id arrays of every day of the window. Exact for the windows that end today (a
    later read is impossible), which the access report uses by default; other windows and a part filter read
    the arrays. Only the last ACCESS_LOG_REPORT_MAX_DAYS (+1) days matter: older pairs are dropped by the
    rebuild. Kept and rebuilt with AccessDaily (`people.access_rollup`)."""

    agency = models.ForeignKey(
        "people.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False, verbose_name=_("instansi")
    )
    viewer_id = models.BigIntegerField(_("akun pengakses"), default=0)  # 0: the account no longer exists
    subject_id = models.BigIntegerField(_("pegawai"))
    last_day = models.DateField(_("tanggal akses terakhir"))
    last_outside_day = models.DateField(_("tanggal akses terakhir di luar unit"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "viewer_id", "subject_id"], name="uniq_access_viewer_subject")
        ]
        # No index on the days: a later day's read then updates the row in place (HOT); the report reads an
        # agency's rows through the unique index.
        verbose_name = _("akses terakhir per pengakses dan pegawai")
        verbose_name_plural = _("akses terakhir per pengakses dan pegawai")

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.viewer_id} · {self.subject_id} · {self.last_day}"


class AccessExport(models.Model):
    """One download of a list of people (the rows of the access log sharing one `export_id`), summarised for the
    BKD access report; kept and rebuilt with AccessDaily."""

    export_id = models.UUIDField(_("ekspor"))
    agency = models.ForeignKey(
        "people.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False, verbose_name=_("instansi")
    )
    viewer_id = models.BigIntegerField(_("akun pengakses"), default=0)
    part = models.CharField(_("bagian data"), max_length=20)
    stated_purpose = models.CharField(_("tujuan yang dinyatakan"), max_length=300, blank=True)
    people = models.PositiveIntegerField(_("jumlah pegawai"), default=0)
    at = models.DateTimeField(_("waktu"))

    class Meta:
        # An export of several agencies' people (a superuser's) gives one row per agency, as the report is.
        constraints = [models.UniqueConstraint(fields=["export_id", "agency"], name="uniq_access_export_agency")]
        indexes = [models.Index(fields=["agency", "-at"], name="people_access_export_idx")]
        verbose_name = _("ekspor data pribadi")
        verbose_name_plural = _("ekspor data pribadi")

    def __str__(self) -> str:
        return f"{self.export_id} ({self.people})"
