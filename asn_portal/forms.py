"""Forms of the shared pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini dipakai, mis. “Sinkronisasi SIMPEG dinas”."),
    )
    days = forms.TypedChoiceField(label=_("Berlaku selama"), coerce=int, initial=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (d, _("%(d)d hari") % {"d": d}) for d in settings.API_TOKEN_EXPIRY_DAYS
        ]
