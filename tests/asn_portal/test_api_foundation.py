"""API foundation: JSON errors with clear messages, schema and docs."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from asn_portal.api import exception_handler
from asn_portal.errors import ApplicationError
from tests.people.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_api_without_credentials_is_refused_in_json():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["message"].startswith("Autentikasi diperlukan")


def test_unknown_api_path_is_json_404():
    emp = EmployeeFactory()
    client = Client()
    client.force_login(emp.user)
    response = client.get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"] == "Data tidak ditemukan."


def test_application_error_becomes_message_and_extra():
    response = exception_handler(ApplicationError("Kuota penuh.", {"field": "offering"}), {})
    assert response is not None and response.status_code == 400
    assert response.data == {"message": "Kuota penuh.", "extra": {"field": "offering"}}


def test_unexpected_error_is_json_500_not_html():
    response = exception_handler(RuntimeError("boom"), {})
    assert response is not None and response.status_code == 500
    assert response.data["message"] == "Terjadi kesalahan pada server."


def test_token_authentication_works():
    from asn_portal.services import api_token_create

    emp = EmployeeFactory()
    _token, text = api_token_create(user=emp.user, name="tes", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    r = client.get("/api/v1/me/")
    assert r.status_code == 200
    assert (r.json()["employee_id"], r.json()["agency_id"]) == (emp.pk, emp.agency_id)


def test_schema_and_docs_render():
    client = Client()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    assert b"/api/v1/employees/" in schema.content  # the schema lists the endpoints
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"<title>Portal Karier ASN API</title>" in docs.content
