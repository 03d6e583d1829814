"""Competency pages under /kompetensi/."""

from django.urls import path

from competencies.analytics import views as analytics_views
from competencies.assessments import views as assessment_views
from competencies.dictionary import views as dictionary_views
from competencies.profiles import views as profile_views
from competencies.standards import views as standard_views

app_name = "competencies"
urlpatterns = [
    path("saya/", profile_views.my_profile, name="me"),
    path("pegawai/<int:pk>/", profile_views.employee_profile, name="employee"),
    path("tim/", profile_views.team, name="team"),
    path("kamus/", dictionary_views.dictionary, name="dictionary"),
    path("kamus/tambah/", dictionary_views.competency_form, name="competency-create"),
    path("kamus/<int:pk>/", dictionary_views.competency_detail, name="competency-detail"),
    path("kamus/<int:pk>/ubah/", dictionary_views.competency_form, name="competency-edit"),
    path("standar/", standard_views.standards, name="standards"),
    path("standar/massal/", standard_views.standards_bulk, name="standards-bulk"),
    path("standar/bawaan/", standard_views.default_levels, name="default-levels"),
    path("standar/jabatan/<int:pk>/", standard_views.standard_edit, name="standard-edit"),
    path("standar/progres/<int:pk>/", standard_views.job_progress, name="job-progress"),
    path("asesmen/", assessment_views.assessments, name="assessments"),
    path("asesmen/tambah/", assessment_views.assessment_create, name="assessment-create"),
    path("asesmen/<int:pk>/", assessment_views.assessment_detail, name="assessment-detail"),
    path("impor/", assessment_views.import_upload, name="import"),
    path("impor/templat.csv", assessment_views.import_template, name="import-template"),
    path("impor/<int:pk>/", assessment_views.import_preview, name="import-preview"),
    path("impor/<int:pk>/konfirmasi/", assessment_views.import_confirm, name="import-confirm"),
    path("impor/<int:pk>/status/", assessment_views.import_status, name="import-status"),
    path("analitik/", analytics_views.analytics, name="analytics"),
    path("analitik/ekspor.xlsx", analytics_views.analytics_xlsx, name="analytics-xlsx"),
]
