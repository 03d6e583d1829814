from django.urls import path

from . import privacy_views, views
from .corrections import views as corrections
from .data_export import views as data_export

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("ekspor.<str:fmt>", views.directory_export, name="directory-export"),
    path("saya/", views.my_profile, name="me"),
    path("saya/akses/", privacy_views.my_access_log, name="my-access-log"),
    path("<int:pk>/akses/", privacy_views.employee_access_log, name="access-log"),
    path("akses/laporan/", privacy_views.access_report_page, name="access-report"),
    path("akses/laporan.csv", privacy_views.access_report_export, name="access-report-export"),
    path("saya/data/", data_export.my_data, name="my-data"),
    path("saya/data/minta/", data_export.my_data_request, name="my-data-request"),
    path("saya/data/<int:pk>/status/", data_export.my_data_status, name="my-data-status"),
    path("saya/data/<int:pk>/unduh/", data_export.my_data_download, name="my-data-download"),
    path("saya/pemutakhiran/", corrections.my_corrections, name="my-corrections"),
    path("pemutakhiran/", corrections.correction_queue, name="correction-queue"),
    path("pemutakhiran/<int:pk>/", corrections.correction_detail, name="correction-detail"),
    path("pemutakhiran/<int:pk>/tarik/", corrections.correction_withdraw, name="correction-withdraw"),
    path("pemutakhiran/<int:pk>/dokumen/", corrections.correction_document, name="correction-document"),
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
