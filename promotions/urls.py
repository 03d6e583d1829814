from django.urls import path

from . import views

app_name = "promotions"
urlpatterns = [
    path("", views.index, name="index"),
    path("periode/<int:pk>/", views.queue, name="queue"),
    path("periode/<int:pk>/hitung/", views.period_build, name="period-build"),
    path("periode/<int:pk>/usulkan/", views.propose, name="propose"),
    path("periode/<int:pk>/kirim-bkn/", views.batch_send, name="batch-send"),
    path("kiriman/<int:pk>/ekspor.xlsx", views.batch_export, name="batch-export"),
    path("usulan/", views.proposal_list, name="proposal-list"),
    path("usulan/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("usulan/<int:pk>/<str:action>/", views.proposal_action, name="proposal-action"),
    path("usulan/<int:pk>/dokumen/<int:doc_pk>/", views.proposal_document, name="proposal-document"),
    path("saya/", views.my_outlook, name="my-outlook"),
    path("pegawai/<int:pk>/", views.employee_outlook, name="employee-outlook"),
    path("lowongan/", views.vacancy_list, name="vacancy-list"),
    path("lowongan/<int:pk>/", views.vacancy_detail, name="vacancy-detail"),
    path("lowongan/<int:pk>/<str:action>/", views.vacancy_action, name="vacancy-action"),
    path("laporan-merit/", views.merit_report, name="merit-report"),
]
