"""The one upload service: type from content, per-kind allow-lists, size limits, random private names and
the shared download response (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import RequestFactory

from asn_portal.errors import ApplicationError
from asn_portal.uploads import RandomName, UploadKind, private_storage, serve_private_file, validate_upload
from performance.models import Progress

from .upload_samples import EXE, HTML, JPEG, PDF, REFUSED_DOCUMENTS, SVG, TYPE_REFUSED, png, upload, xlsx


@pytest.fixture(autouse=True)
def _private_root(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_each_dangerous_type_is_refused_as_a_document_whatever_its_name(case: str) -> None:
    name, content = REFUSED_DOCUMENTS[case]
    with pytest.raises(ApplicationError) as exc:
        validate_upload(upload(name, content, "application/pdf"), UploadKind.DOCUMENT)
    assert exc.value.message == TYPE_REFUSED
    assert exc.value.extra["allowed"] == ["jpg", "pdf", "png"]


def test_an_8_mb_pdf_is_refused_naming_the_5_mb_default_limit() -> None:
    big = upload("sk.pdf", PDF + b"0" * (8 * 1024 * 1024))
    with pytest.raises(ApplicationError) as exc:
        validate_upload(big, UploadKind.DOCUMENT)
    assert exc.value.message == "Ukuran berkas melebihi batas 5 MB."
    assert exc.value.extra["max_bytes"] == 5 * 1024 * 1024


def test_the_document_limit_comes_from_settings(settings: Any) -> None:
    settings.MAX_DOCUMENT_BYTES = 1024 * 1024
    validate_upload(upload("a.pdf", PDF + b"0" * (1024 * 1024 - len(PDF))), UploadKind.DOCUMENT)
    with pytest.raises(ApplicationError, match="melebihi batas 1 MB"):
        validate_upload(upload("b.pdf", PDF + b"0" * (1024 * 1024)), UploadKind.DOCUMENT)


@pytest.mark.parametrize(
    ("name", "content", "ext", "mime"),
    [
        ("SK Pangkat (scan).PDF", PDF, "pdf", "application/pdf"),
        ("foto.png", png(), "png", "image/png"),
        ("ijazah.jpeg", JPEG, "jpg", "image/jpeg"),
        ("ijazah.pdf", JPEG, "jpg", "image/jpeg"),  # a JPEG misnamed .pdf is still a JPEG
    ],
    ids=["pdf", "png", "jpeg", "jpeg named pdf"],
)
def test_pdf_jpeg_and_png_are_accepted_by_their_content(name: str, content: bytes, ext: str, mime: str) -> None:
    f = upload(name, content)
    info = validate_upload(f, UploadKind.DOCUMENT)
    assert (info.ext, info.mime, info.original_name, info.size) == (ext, mime, name, len(content))
    assert f.name.endswith(f".{ext}")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pegawai.csv", b"NIP;Nama\n199001012015031001;Ani Setiawati\n"),
        ("pegawai.csv", "NIP,Nama\n199001012015031001,Siti Nurhalizah Ñ\n".encode("latin-1")),
        ("pegawai.xlsx", xlsx([["NIP", "Nama"], ["199001012015031001", "Ani"]])),
    ],
    ids=["csv utf-8", "csv latin-1", "xlsx"],
)
def test_csv_and_xlsx_imports_are_accepted(name: str, content: bytes) -> None:
    info = validate_upload(upload(name, content), UploadKind.IMPORT)
    assert info.ext == name.rsplit(".", 1)[1]


def test_an_xlsx_named_csv_is_read_as_xlsx() -> None:
    f = upload("pegawai.csv", xlsx([["NIP"], ["1"]]))
    assert validate_upload(f, UploadKind.IMPORT).ext == "xlsx"
    assert f.name == "pegawai.xlsx"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pegawai.csv", EXE),
        ("pegawai.csv", HTML),
        ("pegawai.csv", SVG),
        ("pegawai.xlsx", PDF),
        ("pegawai.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # Excel 97 (OLE)
        ("pegawai.csv", b"\x00\x01\x02\x03binary\x00" * 20),
    ],
    ids=["exe", "html", "svg", "pdf", "xls", "binary"],
)
def test_imports_refuse_anything_but_csv_text_and_xlsx(name: str, content: bytes) -> None:
    with pytest.raises(ApplicationError) as exc:
        validate_upload(upload(name, content), UploadKind.IMPORT)
    assert exc.value.message == "Jenis berkas tidak diizinkan: hanya CSV atau XLSX."


def test_imports_have_their_own_size_limit(settings: Any) -> None:
    settings.MAX_IMPORT_BYTES = 1024 * 1024
    with pytest.raises(ApplicationError, match="melebihi batas 1 MB"):
        validate_upload(upload("p.csv", b"NIP\n" + b"1\n" * (600 * 1024)), UploadKind.IMPORT)


def test_stored_names_are_random_and_keep_nothing_of_the_users_name() -> None:
    name = RandomName("kinerja/bukti")(None, "../../Laporan Rahasia.pdf")
    assert re.fullmatch(r"kinerja/bukti/\d{4}/[0-9a-f]{32}\.pdf", name)
    assert RandomName("x")(None, "evil.p<h>p")[-4:] == ".bin"
    assert RandomName("x")(None, "a.pdf") != RandomName("x")(None, "a.pdf")


def test_private_files_have_no_url_and_live_outside_media_root(settings: Any) -> None:
    stored = private_storage().save("t/a.pdf", ContentFile(PDF))
    assert Path(settings.PRIVATE_MEDIA_ROOT, stored).is_file()
    assert not Path(settings.MEDIA_ROOT, stored).exists()
    with pytest.raises(ValueError):
        private_storage().url(stored)


def _stored(content: bytes, name: str = "t/file.bin") -> Any:
    return Progress(evidence_file=private_storage().save(name, ContentFile(content))).evidence_file


def test_a_pdf_is_served_inline_with_nosniff_and_a_restrictive_csp() -> None:
    response = serve_private_file(RequestFactory().get("/"), _stored(PDF), "SK Kenaikan Pangkat.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="SK Kenaikan Pangkat.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_an_image_is_inline_inside_a_csp_sandbox() -> None:
    response = serve_private_file(RequestFactory().get("/"), _stored(png()), "foto.png")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox;")


def test_a_legacy_html_file_is_only_ever_a_sandboxed_download() -> None:
    response = serve_private_file(RequestFactory().get("/"), _stored(HTML, "lama/bukti.html"), "bukti.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="bukti.html"'
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_an_accel_prefix_nginx_sends_the_bytes(settings: Any) -> None:
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    fieldfile = _stored(PDF, "kinerja/bukti/2026/abc.pdf")
    response = serve_private_file(RequestFactory().get("/"), fieldfile, "bukti.pdf")
    assert response["X-Accel-Redirect"] == f"/_private/{fieldfile.name}"
    assert response.content == b""  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'inline; filename="bukti.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_is_a_404() -> None:
    with pytest.raises(Http404):
        serve_private_file(RequestFactory().get("/"), Progress(evidence_file="hilang/x.pdf").evidence_file, "x.pdf")
    with pytest.raises(Http404):
        serve_private_file(RequestFactory().get("/"), Progress().evidence_file, "")
