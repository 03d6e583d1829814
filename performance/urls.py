"""Pages of the SKP (kinerja) app under /kinerja/."""

from django.urls import path

from performance.calibration import views as calibration_views
from performance.evaluation import views as evaluation_views
from performance.history import views as history_views
from performance.objections import views as objections_views
from performance.periods import views as periods_views
from performance.plans import views as plans_views
from performance.progress import views as progress_views
from performance.reports import views as reports_views

app_name = "performance"
urlpatterns = [
    path("", plans_views.my_skp, name="my-skp"),
    path("skp/buat/", plans_views.plan_create, name="plan-create"),
    path("skp/<int:pk>/", plans_views.plan_detail, name="plan-detail"),
    path("skp/<int:pk>/ubah/", plans_views.plan_edit, name="plan-edit"),
    path("skp/<int:pk>/ekspektasi/", plans_views.plan_expectations, name="plan-expectations"),
    path("skp/<int:pk>/realisasi/<int:period_pk>/", progress_views.progress_entry, name="progress-entry"),
    path("realisasi/<int:pk>/bukti/", progress_views.progress_evidence, name="progress-evidence"),
    path("skp/<int:pk>/umpan-balik/", progress_views.feedback_add, name="feedback-add"),
    path("skp/<int:pk>/nilai/", evaluation_views.evaluate, name="evaluate"),
    path("skp/<int:pk>/keberatan/", objections_views.objection_lodge, name="objection-lodge"),
    path("skp/<int:pk>/cetak/<str:doc>/", plans_views.plan_pdf, name="plan-pdf"),
    path("skp/<int:pk>/<str:action>/", plans_views.plan_transition, name="plan-transition"),
    path("keberatan/<int:pk>/putus/", objections_views.objection_decide, name="objection-decide"),
    path("kotak-masuk/", plans_views.inbox, name="inbox"),
    path("tim/", plans_views.team, name="team"),
    path("kaskade/", plans_views.cascade, name="cascade"),
    path("daftar/", plans_views.plan_list, name="plan-list"),
    path("periode/", periods_views.period_settings, name="periods"),
    path("periode/<int:pk>/status/", periods_views.period_status, name="period-status"),
    path("predikat-unit/", calibration_views.unit_ratings, name="unit-ratings"),
    path("kalibrasi/", calibration_views.calibration, name="calibration"),
    path(
        "kalibrasi/<int:period_pk>/<int:unit_pk>/finalkan/",
        calibration_views.calibration_finalise,
        name="calibration-finalise",
    ),
    path("statistik/", reports_views.statistics, name="statistics"),
    path("ekspor/<str:what>.xlsx", reports_views.export_xlsx, name="export"),
    path("impor/", history_views.predikat_import, name="import"),
    path("impor/templat.csv", history_views.import_template, name="import-template"),
    path("impor/<int:pk>/", history_views.predikat_import_preview, name="import-preview"),
    path("impor/<int:pk>/status/", history_views.predikat_import_status, name="import-status"),
    path("impor/<int:pk>/konfirmasi/", history_views.predikat_import_confirm, name="import-confirm"),
    path("impor/<int:pk>/batal/", history_views.predikat_import_cancel, name="import-cancel"),
]
