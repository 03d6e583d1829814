"""Pages of the SKP (kinerja) app under /kinerja/."""

from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.my_skp, name="my-skp"),
    path("skp/buat/", views.plan_create, name="plan-create"),
    path("skp/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("skp/<int:pk>/ubah/", views.plan_edit, name="plan-edit"),
    path("skp/<int:pk>/ekspektasi/", views.plan_expectations, name="plan-expectations"),
    path("skp/<int:pk>/realisasi/<int:period_pk>/", views.progress_entry, name="progress-entry"),
    path("realisasi/<int:pk>/bukti/", views.progress_evidence, name="progress-evidence"),
    path("skp/<int:pk>/umpan-balik/", views.feedback_add, name="feedback-add"),
    path("skp/<int:pk>/nilai/", views.evaluate, name="evaluate"),
    path("skp/<int:pk>/keberatan/", views.objection_lodge, name="objection-lodge"),
    path("skp/<int:pk>/cetak/<str:doc>/", views.plan_pdf, name="plan-pdf"),
    path("skp/<int:pk>/<str:action>/", views.plan_transition, name="plan-transition"),
    path("keberatan/<int:pk>/putus/", views.objection_decide, name="objection-decide"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("tim/", views.team, name="team"),
    path("kaskade/", views.cascade, name="cascade"),
    path("daftar/", views.plan_list, name="plan-list"),
    path("periode/", views.period_settings, name="periods"),
    path("periode/<int:pk>/status/", views.period_status, name="period-status"),
    path("predikat-unit/", views.unit_ratings, name="unit-ratings"),
    path("kalibrasi/", views.calibration, name="calibration"),
    path("kalibrasi/<int:period_pk>/<int:unit_pk>/finalkan/", views.calibration_finalise, name="calibration-finalise"),
    path("statistik/", views.statistics, name="statistics"),
    path("ekspor/<str:what>.xlsx", views.export_xlsx, name="export"),
    path("impor/", views.predikat_import, name="import"),
    path("impor/templat.csv", views.import_template, name="import-template"),
]
