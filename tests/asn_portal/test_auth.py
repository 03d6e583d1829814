"""Signing in with NIP or username, clear messages for bad input, lockout, and login-required pages."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.people.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"


def post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, follow=False)


def test_staff_signs_in_with_nip_and_lands_on_home():
    emp = EmployeeFactory()
    client = Client()
    response = post_login(client, emp.nip, "rahasia-123")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get("/")
    assert home.status_code == 200
    assert "Selamat datang" in home.content.decode()


def test_nip_typed_with_spaces_is_accepted():
    emp = EmployeeFactory()
    spaced = f"{emp.nip[:8]} {emp.nip[8:14]} {emp.nip[14]} {emp.nip[15:]}"
    client = Client()
    assert post_login(client, spaced, "rahasia-123").status_code == 302
    assert int(client.session["_auth_user_id"]) == emp.user.pk


def test_user_signs_in_with_username():
    emp = EmployeeFactory()
    emp.user.username = "budi.s"
    emp.user.save()
    client = Client()
    assert post_login(client, "budi.s", "rahasia-123").status_code == 302
    assert int(client.session["_auth_user_id"]) == emp.user.pk


def test_wrong_password_gets_indonesian_message_and_no_session():
    emp = EmployeeFactory()
    client = Client()
    response = post_login(client, emp.nip, "salah")
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_nip_gets_the_same_message():
    response = post_login(Client(), "199001012015031001", "apa saja")
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


def test_malformed_nip_is_named_as_such():
    response = post_login(Client(), "1990010120150310", "apa saja")
    assert response.status_code == 200
    assert "NIP harus 18 digit" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password():
    emp = EmployeeFactory()
    client = Client()
    for _ in range(5):
        post_login(client, emp.nip, "salah")
    response = post_login(client, emp.nip, "rahasia-123")
    assert response.status_code == 429
    assert "terkunci" in response.content.decode()


def test_pages_require_login_but_health_does_not():
    client = Client()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/notifikasi/").status_code == 302
    assert client.get("/healthz").status_code in (200, 503)


def test_logout_ends_the_session():
    emp = EmployeeFactory()
    client = Client()
    client.force_login(emp.user)
    assert client.post("/akun/keluar/").status_code == 302
    assert client.get("/").status_code == 302


def test_missing_csrf_token_is_refused_with_a_clear_message():
    emp = EmployeeFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(emp.user)
    response = client.post("/notifikasi/baca-semua/")
    assert response.status_code == 403
    assert "Token keamanan formulir" in response.content.decode()


def test_password_change_page_works():
    emp = EmployeeFactory()
    client = Client()
    client.force_login(emp.user)
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": "rahasia-123", "new_password1": "Kuat-Sekali-2026", "new_password2": "Kuat-Sekali-2026"},
    )
    assert response.status_code == 302
    emp.user.refresh_from_db()
    assert emp.user.check_password("Kuat-Sekali-2026")


def test_english_can_be_selected_and_indonesian_is_the_default():
    emp = EmployeeFactory()
    client = Client()
    client.force_login(emp.user)
    assert "Selamat datang" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Welcome" in page and "Selamat datang" not in page


def test_an_english_browser_still_gets_indonesian_until_the_user_chooses():
    emp = EmployeeFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(emp.user)
    assert "Selamat datang" in client.get("/").content.decode()


def test_lockout_counts_every_spelling_of_the_same_account():
    """Five failures spread over spellings (and addresses) lock the account for every spelling."""
    emp = EmployeeFactory()
    emp.user.username = "Budi.Santoso"
    emp.user.save()
    nip = emp.nip
    spellings = [
        nip,
        f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
        f"{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]}",
        "budi.santoso",
        " BUDI.SANTOSO ",
    ]
    for i, spelling in enumerate(spellings):
        response = Client(REMOTE_ADDR=f"10.0.0.{i + 1}").post(LOGIN, {"username": spelling, "password": "salah"})
        assert response.status_code == (429 if i == len(spellings) - 1 else 200)
    for i, spelling in enumerate([f"{nip[:8]}-{nip[8:14]}-{nip[14]}-{nip[15:]}", "BUDI.santoso", nip]):
        client = Client(REMOTE_ADDR=f"10.0.1.{i + 1}")
        response = client.post(LOGIN, {"username": spelling, "password": "rahasia-123"})
        assert response.status_code == 429, spelling
        assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_failures_of_other_spellings():
    emp = EmployeeFactory()
    spaced = f"{emp.nip[:8]} {emp.nip[8:14]} {emp.nip[14]} {emp.nip[15:]}"
    for _ in range(4):
        post_login(Client(), spaced, "salah")
    assert post_login(Client(), emp.nip, "rahasia-123").status_code == 302
    for _ in range(4):
        post_login(Client(), emp.nip, "salah")
    assert post_login(Client(), spaced, "rahasia-123").status_code == 302  # 4 fresh failures, not 8
