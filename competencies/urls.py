"""Competency pages under /kompetensi/."""

from django.urls import path

from . import views

app_name = "competencies"
urlpatterns = [
    path("saya/", views.my_profile, name="me"),
    path("pegawai/<int:pk>/", views.employee_profile, name="employee"),
    path("tim/", views.team, name="team"),
    path("kamus/", views.dictionary, name="dictionary"),
    path("kamus/tambah/", views.competency_form, name="competency-create"),
    path("kamus/<int:pk>/", views.competency_detail, name="competency-detail"),
    path("kamus/<int:pk>/ubah/", views.competency_form, name="competency-edit"),
    path("standar/", views.standards, name="standards"),
    path("standar/massal/", views.standards_bulk, name="standards-bulk"),
    path("standar/bawaan/", views.default_levels, name="default-levels"),
    path("standar/jabatan/<int:pk>/", views.standard_edit, name="standard-edit"),
    path("standar/progres/<int:pk>/", views.job_progress, name="job-progress"),
    path("asesmen/", views.assessments, name="assessments"),
    path("asesmen/tambah/", views.assessment_create, name="assessment-create"),
    path("asesmen/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("impor/", views.import_upload, name="import"),
    path("impor/templat.csv", views.import_template, name="import-template"),
    path("impor/<int:pk>/", views.import_preview, name="import-preview"),
    path("impor/<int:pk>/konfirmasi/", views.import_confirm, name="import-confirm"),
    path("impor/<int:pk>/status/", views.import_status, name="import-status"),
    path("analitik/", views.analytics, name="analytics"),
    path("analitik/ekspor.xlsx", views.analytics_xlsx, name="analytics-xlsx"),
]
