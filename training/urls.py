"""Training pages under /pelatihan/."""

from django.urls import path

from training.catalogue import views as catalogue_views
from training.enrolment import views as enrolment_views
from training.external import views as external_views
from training.ledger import views as ledger_views
from training.needs import views as needs_views
from training.questionnaires import views as questionnaires_views

app_name = "training"
urlpatterns = [
    path("", catalogue_views.catalogue, name="catalogue"),
    path("disarankan/", needs_views.recommended, name="recommended"),
    path("katalog/<int:pk>/", catalogue_views.course_detail, name="course-detail"),
    path("angkatan/<int:pk>/", catalogue_views.offering_detail, name="offering-detail"),
    path("angkatan/<int:pk>/daftar/", enrolment_views.offering_enrol, name="offering-enrol"),
    path("angkatan/<int:pk>/status/", catalogue_views.offering_status, name="offering-status"),
    path("pendaftaran/<int:pk>/<slug:action>/", enrolment_views.enrollment_action, name="enrollment-action"),
    path("saya/", ledger_views.my_learning, name="my-learning"),
    path("saya/eksternal/", external_views.external_new, name="external-new"),
    path("pembelajaran/<int:pk>/sertifikat/", ledger_views.learning_certificate, name="learning-certificate"),
    path("kuesioner/", questionnaires_views.questionnaires, name="questionnaires"),
    path("kuesioner/<int:pk>/", questionnaires_views.questionnaire_answer, name="questionnaire-answer"),
    path("tim/", needs_views.team, name="team"),
    path("kelola/", catalogue_views.manage, name="manage"),
    path("kelola/pelatihan/baru/", catalogue_views.course_edit, name="course-new"),
    path("kelola/pelatihan/<int:pk>/", catalogue_views.course_edit, name="course-edit"),
    path("kelola/angkatan/baru/", catalogue_views.offering_edit, name="offering-new"),
    path("kelola/angkatan/<int:pk>/", catalogue_views.offering_edit, name="offering-edit"),
    path("verifikasi/", external_views.verify, name="verify"),
    path("laporan/kepatuhan-jp/", ledger_views.report_compliance, name="report-compliance"),
    path("laporan/kuesioner/", questionnaires_views.report_questionnaires, name="report-questionnaires"),
    path("laporan/kebutuhan/", needs_views.report_needs, name="report-needs"),
]
