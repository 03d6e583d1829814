"""API authentication: personal tokens (django-rest-knox) that record when they were last used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from knox.auth import TokenAuthentication

# Writing the last-use time at most once a minute per token keeps busy integrations from writing a row on
# every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`. Unknown, revoked and expired tokens are a 401 (knox deletes an expired
    token on first sight)."""

    def validate_user(self, auth_token: Any) -> tuple[Any, Any]:
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token
