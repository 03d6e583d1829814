"""Root URLconf: each app's pages under its own prefix, the API under /api/v1/.

The root, the API and each app's pages are resolved by first path segment (asn_portal.url_dispatch): a request
tries only the patterns that can match it, not the ~190 of the API in order; the URLs, names and schema are the
same."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from . import guide_views, views
from .api_docs import SchemaView, docs_page
from .api_tokens import ApiTokenDetailView, ApiTokenListView
from .url_dispatch import dispatch

api_v1: list[URLPattern | URLResolver] = [
    path("me/tokens/", ApiTokenListView.as_view(), name="api-tokens"),
    path("me/tokens/<uuid:public_id>/", ApiTokenDetailView.as_view(), name="api-token-detail"),
    path("", include("people.api.urls")),
    path("", include("competencies.api.urls")),
    path("", include("performance.api.urls")),
    path("", include("training.api.urls")),
    path("", include("careers.api.urls")),
    path("", include("promotions.api.urls")),
]

patterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/baca/", views.notification_read, name="notification-read"),
    path("notifikasi/baca-semua/", views.notification_read_all, name="notifications-read-all"),
    path("pekerjaan/", views.job_list, name="jobs"),
    path("pekerjaan/<int:pk>/jalankan/", views.job_run_now, name="job-run-now"),
    path("akun/token-api/", views.token_list, name="api-tokens-page"),
    path("akun/token-api/<uuid:public_id>/cabut/", views.token_revoke, name="api-token-revoke"),
    path("panduan/", guide_views.guide_index, name="guide-index"),
    path("panduan/img/<str:lang>/<str:name>", guide_views.guide_image, name="guide-image"),
    path("panduan/<str:lang>/<slug:chapter>/", guide_views.guide_page, name="guide"),
    path("akun/", include("people.auth_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    dispatch("pegawai/", include("people.urls")),
    dispatch("kompetensi/", include("competencies.urls")),
    dispatch("kinerja/", include("performance.urls")),
    dispatch("pelatihan/", include("training.urls")),
    dispatch("karier/", include("careers.urls")),
    dispatch("kenaikan-pangkat/", include("promotions.urls")),
    dispatch("api/v1/", api_v1),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", docs_page(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", docs_page(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
]

if settings.BENCH_VIEWS:
    patterns += [path("bench/", include("bench.urls"))]

urlpatterns = [dispatch("", patterns)]


handler400 = "asn_portal.views.handler400"
handler404 = "asn_portal.views.handler404"
handler403 = "asn_portal.views.handler403"
handler500 = "asn_portal.views.handler500"
