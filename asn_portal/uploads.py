"""The one way files come in and go out (issue 11).

In: `validate_upload(file, kind)` decides the type from the bytes (not the name) against a per-kind
allow-list and the size limit from settings; form and serializer fields (`UploadFormField`,
`UploadSerializerField`) and the services that store files all call it. Stored files go to the
private storage (`STORAGES["private"]`, never under MEDIA_URL) under a random name
(`<area>/<yyyy>/<uuid>.<ext>`); the original name is kept as data on the owning row.

Out: each owning object has its own download view that fetches the object through its
`…_visible_to` selector (404 otherwise) and then calls `serve_private_file`, which sets
`Content-Disposition`, `X-Content-Type-Options: nosniff` and a sandboxing CSP, and hands the bytes to
nginx (`X-Accel-Redirect`) when `PRIVATE_MEDIA_ACCEL_PREFIX` is set."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

import filetype
from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property, lazy
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.reverse import reverse as api_reverse

from .errors import ApplicationError

logger = logging.getLogger(__name__)

# filetype reads this many leading bytes; XLSX needs its zip directory names, PDF/PNG/JPEG far fewer.
_HEAD_BYTES = 8192


class UploadKind(enum.Enum):
    """What an upload is for; each kind has its own allow-list and size limit."""

    DOCUMENT = "document"  # evidence, certificates, proposal documents: PDF, JPEG, PNG
    IMPORT = "import"  # data imports: CSV, XLSX (read, never stored)


# extension -> MIME type, as detected from content
_ALLOWED: dict[UploadKind, dict[str, str]] = {
    UploadKind.DOCUMENT: {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"},
    UploadKind.IMPORT: {
        "csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
}

# What a browser may display inline; everything else is always an attachment.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})

# A sandboxed, script-less document for anything we serve; images need only their own bytes.
CSP_SANDBOX = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
# Chromium's and Firefox's PDF viewers refuse to start inside a CSP sandbox; their scripts run isolated
# from the page's origin, so a PDF gets every other restriction but keeps the viewer (object-src 'self').
CSP_PDF = "default-src 'none'; object-src 'self'; img-src 'self' data: blob:; style-src 'unsafe-inline'"


def _allowed_label(kind: UploadKind) -> str:
    if kind is UploadKind.DOCUMENT:
        return _("hanya PDF, JPEG atau PNG")
    return _("hanya CSV atau XLSX")


def max_bytes(kind: UploadKind) -> int:
    if kind is UploadKind.DOCUMENT:
        return int(settings.MAX_DOCUMENT_BYTES)
    return int(settings.MAX_IMPORT_BYTES)


def format_size(n: int) -> str:
    """Sizes as users read them: "5 MB", "1,5 MB", "800 KB"."""
    if n >= 1024 * 1024:
        mb = n / (1024 * 1024)
        return (f"{mb:.0f}" if mb == int(mb) else f"{mb:.1f}".replace(".", ",")) + " MB"
    return f"{max(1, round(n / 1024))} KB"


@dataclass(frozen=True)
class UploadInfo:
    """What the bytes of an accepted upload turned out to be."""

    kind: UploadKind
    ext: str
    mime: str
    size: int
    original_name: str


def _read_head(file: Any) -> bytes:
    pos = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(_HEAD_BYTES) or b""
    file.seek(pos)
    return bytes(head)


def _looks_like_csv(head: bytes) -> bool:
    """CSV has no magic bytes: accept text (UTF-8, or Latin-1 without control characters) that does not
    open like markup. Binary data and HTML/SVG/XML renamed .csv are refused."""
    if not head.strip():
        return False
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by the sample's end
            text = head[: exc.start].decode("utf-8-sig")
        else:
            text = head.decode("latin-1")
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return False
    return not text.lstrip().startswith("<")


def _text_throughout(file: Any) -> bool:
    """No NUL or other binary control byte anywhere in the file (the head alone can be text that a
    binary body follows, and the CSV reader then fails on the NUL)."""
    binary = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
    pos = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        while chunk := file.read(64 * 1024):
            if binary.search(chunk):
                return False
    finally:
        file.seek(pos)
    return True


def _original_name(file: Any) -> str:
    name = os.path.basename(str(getattr(file, "name", "") or "")).strip()
    return name[:200] or "berkas"


def validate_upload(file: Any, kind: UploadKind) -> UploadInfo:
    """Accept the file if its content is one of the kind's allowed types and it is within the size limit;
    otherwise raise ApplicationError with an Indonesian message naming what is allowed."""
    cached = getattr(file, "_portal_upload_info", None)
    if isinstance(cached, UploadInfo) and cached.kind is kind:
        return cached
    allowed = _ALLOWED[kind]
    limit = max_bytes(kind)
    size = int(getattr(file, "size", 0) or 0)
    extra: dict[str, Any] = {"allowed": sorted(allowed), "max_bytes": limit}
    if size <= 0:
        raise ApplicationError(_("Berkas kosong."), extra)
    if size > limit:
        raise ApplicationError(_("Ukuran berkas melebihi batas %(limit)s.") % {"limit": format_size(limit)}, extra)
    head = _read_head(file)
    guess = filetype.guess(head)
    ext = guess.extension if guess is not None else None
    if ext is None and kind is UploadKind.IMPORT and _looks_like_csv(head) and _text_throughout(file):
        ext = "csv"
    if ext not in allowed:
        raise ApplicationError(
            _("Jenis berkas tidak diizinkan: %(allowed)s.") % {"allowed": _allowed_label(kind)}, extra
        )
    info = UploadInfo(kind=kind, ext=ext, mime=allowed[ext], size=size, original_name=_original_name(file))
    # The name now carries the detected type (readers pick CSV/XLSX by it; storage keeps the extension);
    # the user's own name stays in info.original_name.
    stem = os.path.splitext(info.original_name)[0] or "berkas"
    file.name = f"{stem}.{ext}"
    file._portal_upload_info = info
    return info


# --- fields -----------------------------------------------------------------------------------------------


def limits_text(kind: UploadKind) -> str:
    """ "PDF, JPEG atau PNG, maks. 5 MB" for help texts."""
    types = _("PDF, JPEG atau PNG") if kind is UploadKind.DOCUMENT else _("CSV atau XLSX")
    return _("%(types)s, maks. %(limit)s") % {"types": types, "limit": format_size(max_bytes(kind))}


class UploadFormField(forms.FileField):
    """A form file field that runs `validate_upload`; the refusal is shown under the field."""

    def __init__(self, *args: Any, kind: UploadKind, **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("help_text", lazy(limits_text, str)(kind))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{e}" for e in _ALLOWED[kind]) + _extra_accept(kind))

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if value and hasattr(value, "read"):
            try:
                validate_upload(value, self.kind)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message, code="upload") from exc
        return value


def _extra_accept(kind: UploadKind) -> str:
    return ",.jpeg" if kind is UploadKind.DOCUMENT else ""


class UploadSerializerField(serializers.FileField):
    """A DRF file field that runs `validate_upload`: a refused file is a 400
    `{"message": <the Indonesian reason>, "extra": {"fields": {<field>: [...]}, "allowed": [...], "max_bytes": n}}`."""

    def __init__(self, *args: Any, kind: UploadKind, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        try:
            validate_upload(value, self.kind)
        except ApplicationError as exc:
            raise ApplicationError(exc.message, {"fields": {self.field_name: [exc.message]}, **exc.extra}) from exc
        return value


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class DownloadUrlField(serializers.Field):  # type: ignore[type-arg]
    """Read-only: the API download URL of an object's private file (null when there is none); never the
    storage path."""

    def __init__(
        self,
        *,
        view_name: str,
        file_attr: str,
        url_kwargs: Callable[[Any], dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.view_name = view_name
        self.file_attr = file_attr
        self.url_kwargs = url_kwargs or (lambda obj: {"pk": obj.pk})
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        if not getattr(value, self.file_attr):
            return None
        return api_reverse(self.view_name, kwargs=self.url_kwargs(value), request=self.context.get("request"))


# --- storage ----------------------------------------------------------------------------------------------


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT: they have no URL, only download views."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        kwargs.pop("base_url", None)
        self._private_location = location
        super().__init__(location=location, **kwargs)
        setting_changed.connect(self._clear_private_location)

    def _clear_private_location(self, *, setting: str, **kwargs: Any) -> None:
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    @cached_property
    def base_location(self) -> str:
        return str(self._value_or_setting(self._private_location, settings.PRIVATE_MEDIA_ROOT))

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; link to the owning object's download view.")


def private_storage() -> Storage:
    """The storage of every uploaded file (a callable so migrations do not freeze the backend)."""
    return storages["private"]


@deconstructible
class RandomName:
    """`upload_to`: `<area>/<yyyy>/<uuid>.<ext>`; nothing of the user's file name reaches the disk."""

    def __init__(self, area: str) -> None:
        self.area = area

    def __call__(self, instance: Any, filename: str) -> str:
        ext = os.path.splitext(filename)[1].lower().lstrip(".")
        ext = ext if re.fullmatch(r"[a-z0-9]{1,5}", ext) else "bin"
        return f"{self.area}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.area == self.area

    def __hash__(self) -> int:
        return hash(self.area)


# --- serving ----------------------------------------------------------------------------------------------


def _detect_mime(fieldfile: FieldFile, name: str) -> str:
    with fieldfile.storage.open(name, "rb") as fh:
        guess = filetype.guess(fh.read(_HEAD_BYTES))
    return guess.mime if guess is not None else "application/octet-stream"


def serve_private_file(request: HttpRequest, fieldfile: FieldFile | None, original_name: str = "") -> HttpResponseBase:
    """Send a stored file to a user the caller has already authorised (through the owning object's
    selector). PDF and images open inline; anything else downloads. Always nosniff and a CSP that
    keeps the file from running script in the portal's origin."""
    name = fieldfile.name if fieldfile else None
    if fieldfile is None or not name:
        raise Http404(_("Berkas tidak ditemukan."))
    try:
        mime = _detect_mime(fieldfile, name)
    except FileNotFoundError as exc:
        raise Http404(_("Berkas tidak ditemukan.")) from exc
    inline = mime in INLINE_TYPES
    if not inline:
        mime = "application/octet-stream"
    filename = original_name or os.path.basename(name)
    accel = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "")
    response: HttpResponseBase
    if accel:
        response = HttpResponse(content_type=mime)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(fieldfile.storage.open(name, "rb"), content_type=mime)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CSP_PDF if mime == "application/pdf" else CSP_SANDBOX
    response["Cache-Control"] = "private, no-cache"
    response["Referrer-Policy"] = "no-referrer"
    return response


class AnyAcceptNegotiation(BaseContentNegotiation):
    """For API download actions: the response is the file whatever the client's Accept header says
    (errors still render as JSON)."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> tuple[Any, str]:
        renderer = renderers[0]
        return renderer, renderer.media_type

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None


def finish_read(batch: Any, *, reading: str, **fields: Any) -> bool:
    """An import batch leaves the "being read" state (compare-and-set from `reading`, so a redelivered or late
    parse does nothing twice) and its stored upload is deleted: once read, its rows are the record. Used by
    every import kind that is read in the worker."""
    changed = type(batch).objects.filter(pk=batch.pk, status=reading).update(source="", **fields)
    if batch.source and batch.source.name:
        try:
            batch.source.storage.delete(batch.source.name)
        except OSError:
            logger.warning("Import %s %s: could not delete %s", batch._meta.label, batch.pk, batch.source.name)
    return bool(changed)


def read_stored(
    batch: Any,
    *,
    reading: str,
    parse: Callable[[IO[bytes]], dict[str, Any]],
    failed: Callable[[str], dict[str, Any]],
) -> bool:
    """Read an import batch's stored upload in the worker and finish it (`finish_read`): with the fields `parse`
    returns, or with `failed(<Indonesian reason>)` when the file is refused (ApplicationError), gone, or breaks
    the reader (then the error is re-raised for the task's log). Shared by every import kind read in the worker."""
    try:
        if not batch.source:
            raise FileNotFoundError(batch.pk)
        with batch.source.open("rb") as stream:
            fields = parse(stream)
    except ApplicationError as exc:
        return finish_read(batch, reading=reading, **failed(exc.message))
    except FileNotFoundError:
        message = _("Berkas unggahan tidak ditemukan lagi di server; unggah ulang berkas.")
        return finish_read(batch, reading=reading, **failed(message))
    except Exception:
        message = _("Berkas tidak dapat dibaca karena kesalahan sistem; unggah ulang atau hubungi admin.")
        finish_read(batch, reading=reading, **failed(message))
        raise
    return finish_read(batch, reading=reading, **fields)


def fail_stale_reads(
    model: Any, *, reading: str, failed: Callable[[str], dict[str, Any]], older_than_seconds: int | None = None
) -> int:
    """Fail the batches of `model` still `reading` long after any worker would have read them (their worker died
    and the message was lost, or the outbox could not send it for that long); run by the stale-job sweep
    (registry.register_stale_sweep). Returns how many it failed."""
    seconds = older_than_seconds if older_than_seconds is not None else int(settings.JOB_RUN_STALE_SECONDS)
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    message = _("Pembacaan berkas terhenti sebelum selesai (tidak ada kabar selama %(s)d detik); unggah ulang berkas.")
    stale = list(model.objects.filter(status=reading, created_at__lt=cutoff))
    return sum(finish_read(b, reading=reading, **failed(message % {"s": seconds})) for b in stale)
