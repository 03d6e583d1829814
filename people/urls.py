from django.urls import path

from . import privacy_views, views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("ekspor.<str:fmt>", views.directory_export, name="directory-export"),
    path("saya/", views.my_profile, name="me"),
    path("saya/akses/", privacy_views.my_access_log, name="my-access-log"),
    path("<int:pk>/akses/", privacy_views.employee_access_log, name="access-log"),
    path("akses/laporan/", privacy_views.access_report_page, name="access-report"),
    path("akses/laporan.csv", privacy_views.access_report_export, name="access-report-export"),
    path("baru/", views.employee_create, name="employee-create"),
    path("<int:pk>/ubah/", views.employee_edit, name="employee-edit"),
    path("<int:pk>/", views.profile, name="profile"),
    path("organisasi/", views.org_chart, name="org-chart"),
    path("unit/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("impor/", views.import_list, name="import-list"),
    path("impor/<int:pk>/", views.import_preview, name="import-preview"),
    path("impor/<int:pk>/konfirmasi/", views.import_confirm, name="import-confirm"),
    path("impor/<int:pk>/batal/", views.import_cancel, name="import-cancel"),
    path("impor/<int:pk>/status/", views.import_status, name="import-status"),
    path("impor/templat/<str:kind>.<str:fmt>", views.import_template, name="import-template"),
]
