"""Training pages under /pelatihan/."""

from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("disarankan/", views.recommended, name="recommended"),
    path("katalog/<int:pk>/", views.course_detail, name="course-detail"),
    path("angkatan/<int:pk>/", views.offering_detail, name="offering-detail"),
    path("angkatan/<int:pk>/daftar/", views.offering_enrol, name="offering-enrol"),
    path("angkatan/<int:pk>/status/", views.offering_status, name="offering-status"),
    path("pendaftaran/<int:pk>/<slug:action>/", views.enrollment_action, name="enrollment-action"),
    path("saya/", views.my_learning, name="my-learning"),
    path("saya/eksternal/", views.external_new, name="external-new"),
    path("pembelajaran/<int:pk>/sertifikat/", views.learning_certificate, name="learning-certificate"),
    path("kuesioner/", views.questionnaires, name="questionnaires"),
    path("kuesioner/<int:pk>/", views.questionnaire_answer, name="questionnaire-answer"),
    path("tim/", views.team, name="team"),
    path("kelola/", views.manage, name="manage"),
    path("kelola/pelatihan/baru/", views.course_edit, name="course-new"),
    path("kelola/pelatihan/<int:pk>/", views.course_edit, name="course-edit"),
    path("kelola/angkatan/baru/", views.offering_edit, name="offering-new"),
    path("kelola/angkatan/<int:pk>/", views.offering_edit, name="offering-edit"),
    path("verifikasi/", views.verify, name="verify"),
    path("laporan/kepatuhan-jp/", views.report_compliance, name="report-compliance"),
    path("laporan/kuesioner/", views.report_questionnaires, name="report-questionnaires"),
    path("laporan/kebutuhan/", views.report_needs, name="report-needs"),
]
