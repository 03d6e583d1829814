"""Login form: NIP or username, with clear Indonesian messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .rules import normalise_nip


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("NIP/nama pengguna atau kata sandi salah. Periksa kembali lalu coba lagi."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin BKD."),
    }

    def clean_username(self) -> str:
        raw: str = self.cleaned_data["username"]
        digits = normalise_nip(raw)
        if digits.isdigit() and len(digits) != 18 and len(digits) >= 8:
            raise forms.ValidationError(
                _("NIP harus 18 digit angka (diterima %(n)d digit)."), params={"n": len(digits)}, code="bad_nip"
            )
        return raw.strip()

    def clean(self) -> dict[str, Any]:
        if self.errors:
            return self.cleaned_data
        return super().clean()
