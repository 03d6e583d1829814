"""OpenAPI extensions (imported in AsnPortalConfig.ready so drf-spectacular knows them)."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class ApiTokenScheme(KnoxTokenScheme):
    """Personal API tokens: `Authorization: Token <token>`."""

    target_class = "asn_portal.authentication.ApiTokenAuthentication"
    name = "apiToken"
