"""Root URLconf: each app's pages under its own prefix, the API under /api/v1/."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

api_v1 = [
    path("", include("people.api.urls")),
    path("", include("competencies.api.urls")),
    path("", include("performance.api.urls")),
    path("", include("training.api.urls")),
    path("", include("careers.api.urls")),
    path("", include("careers.promotions.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/baca/", views.notification_read, name="notification-read"),
    path("notifikasi/baca-semua/", views.notification_read_all, name="notifications-read-all"),
    path("pekerjaan/", views.job_list, name="jobs"),
    path("pekerjaan/<int:pk>/jalankan/", views.job_run_now, name="job-run-now"),
    path("akun/", include("people.auth_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("pegawai/", include("people.urls")),
    path("kompetensi/", include("competencies.urls")),
    path("kinerja/", include("performance.urls")),
    path("pelatihan/", include("training.urls")),
    path("karier/", include("careers.urls")),
    path("kenaikan-pangkat/", include("careers.promotions.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", login_not_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", login_not_required(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
]

if settings.BENCH_VIEWS:
    urlpatterns += [path("bench/", include("bench.urls"))]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "asn_portal.views.handler400"
handler404 = "asn_portal.views.handler404"
handler403 = "asn_portal.views.handler403"
handler500 = "asn_portal.views.handler500"
