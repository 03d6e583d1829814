"""Shared models: the base model, job runs, audit entries and in-app notifications."""

import functools
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


@functools.cache
def _choice_labels(field: Any) -> dict[Any, Any]:
    """A field's value -> label map, built once per field (the labels stay lazy: translated when shown)."""
    return dict(field.flatchoices)


class TimeStampedModel(models.Model):
    """Base model with creation and update times."""

    def _get_FIELD_display(self, field: Any) -> Any:
        # Django rebuilds (and hashes every lazy label of) the field's choice map on each call: a list of 50
        # rows showing two labels each spent a quarter of its time there. Fixed choices are mapped once.
        value = getattr(self, field.attname)
        if not isinstance(field.choices, list | tuple):  # callable or dynamic choices: Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value (e.g. a list)
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class JobRun(models.Model):
    """One run of a periodic or background job: when, how it ended and what it counted."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        SUCCESS = "success", _("Berhasil")
        FAILED = "failed", _("Gagal")

    job = models.CharField(_("pekerjaan"), max_length=120, db_index=True)
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(_("hitungan"), default=dict, blank=True)
    error = models.TextField(_("galat"), blank=True)
    agency_id = models.BigIntegerField(_("instansi"), null=True, blank=True, db_index=True)
    # A fanned-out job (asn_portal.fanout): the dispatcher's run is the parent, each per-agency or
    # per-chunk task writes one child run named by `part`, at most once per parent.
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    part = models.CharField(_("bagian"), max_length=80, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "part"], condition=models.Q(parent__isnull=False), name="uniq_job_run_part"
            )
        ]
        indexes = [
            models.Index(
                fields=["-started_at"], condition=models.Q(parent__isnull=True), name="job_run_top_level_recent"
            )
        ]
        verbose_name = _("riwayat pekerjaan")
        verbose_name_plural = _("riwayat pekerjaan")

    def __str__(self) -> str:
        return f"{self.job} @ {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if not self.finished_at:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class AuditEntry(models.Model):
    """An HR decision or state change: who, when, what before, what after, and why."""

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("tindakan"), max_length=80)
    object_type = models.CharField(_("jenis objek"), max_length=80)
    object_id = models.CharField(_("id objek"), max_length=64)
    object_repr = models.CharField(_("objek"), max_length=255, blank=True)
    before = models.JSONField(_("sebelum"), default=dict, blank=True)
    after = models.JSONField(_("sesudah"), default=dict, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    agency_id = models.BigIntegerField(_("instansi"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class Notification(models.Model):
    """An in-app message to one user (the bell), optionally also sent by email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim email"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self) -> str:
        return self.title


class ApiToken(AbstractAuthToken):
    """A personal API token: only its SHA-512 digest is stored (django-rest-knox); it has a name, an expiry
    and the time it was last used, and its owner can revoke it from the account page or the API."""

    public_id = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nama"), max_length=100)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"


class IdempotencyKey(models.Model):
    """A create request already handled: the same user repeating the same key gets the first result, not a copy."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("kunci"), max_length=64)
    scope = models.CharField(_("jenis permintaan"), max_length=80)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_user_key")]
        verbose_name = _("kunci idempotensi")
        verbose_name_plural = _("kunci idempotensi")

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class OutboxMessage(models.Model):
    """A Celery task decided inside a database transaction and not yet handed to the broker.

    Written in the same transaction as the change that asks for it, so the decision is never lost: sent
    right after commit when the broker answers, otherwise by the `outbox_flush` sweep (worker start-up and
    every minute) once it is back. Tasks are idempotent, so a message sent twice does no harm."""

    task = models.CharField(_("tugas"), max_length=200)
    args = models.JSONField(_("argumen"), default=list, blank=True)
    kwargs = models.JSONField(_("argumen kata kunci"), default=dict, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent_idx")
        ]
        verbose_name = _("antrean kirim tugas")
        verbose_name_plural = _("antrean kirim tugas")

    def __str__(self) -> str:
        return f"{self.task} ({'terkirim' if self.sent_at else 'menunggu'})"


class SummaryState(models.Model):
    """When one agency's summary rows of one kind (`asn_portal.summaries`) were last computed, and whether a
    change since then is waiting for a refresh (`dirty_since`). One row per (kind, agency)."""

    kind = models.CharField(_("jenis rekap"), max_length=60)
    agency_id = models.PositiveIntegerField(_("instansi"))
    dirty_since = models.DateTimeField(_("berubah sejak"), null=True, blank=True)
    computed_at = models.DateTimeField(_("dihitung pada"), null=True, blank=True)
    # The agency-wide figures the refresher returned with its rows (`summaries.figures`): the admin home's cards
    # read them in one indexed row instead of aggregating the agency per request. Whole numbers stay numbers,
    # decimals are kept as text (exact).
    figures = models.JSONField(_("angka rekap"), default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "agency_id"], name="uniq_summary_state")]
        verbose_name = _("status rekap")
        verbose_name_plural = _("status rekap")

    def __str__(self) -> str:
        return f"{self.kind} #{self.agency_id}"
