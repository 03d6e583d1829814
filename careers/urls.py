"""Career pages under /karier/."""

from django.urls import path

from careers.followups import views as followup_views
from careers.mentoring import views as mentoring_views
from careers.plans import views as plan_views
from careers.talent import views as talent_views
from careers.timeline import views as timeline_views

app_name = "careers"
urlpatterns = [
    path("saya/", plan_views.my_career, name="my"),
    path("rencana/", plan_views.plan_list, name="plans"),
    path("rencana/baru/", plan_views.plan_create, name="plan-create"),
    path("rencana/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("rencana/<int:pk>/ubah/", plan_views.plan_edit, name="plan-edit"),
    path("bimbingan/", mentoring_views.session_list, name="sessions"),
    path("bimbingan/baru/", mentoring_views.session_create, name="session-create"),
    path("bimbingan/ekspor.xlsx", mentoring_views.session_export, name="session-export"),
    path("bimbingan/<int:pk>/", mentoring_views.session_detail, name="session-detail"),
    path("bimbingan/<int:pk>/konfirmasi/", mentoring_views.session_confirm, name="session-confirm"),
    path("bimbingan/<int:pk>/umpan-balik/", mentoring_views.session_feedback, name="session-feedback"),
    path("bimbingan/<int:pk>/tindak-lanjut/", mentoring_views.session_item_add, name="session-item-add"),
    path(
        "bimbingan/<int:pk>/tindak-lanjut/<int:item_pk>/status/",
        mentoring_views.session_item_status,
        name="session-item-status",
    ),
    path("bimbingan/<int:pk>/evaluasi/", mentoring_views.session_observe, name="session-observe"),
    path("bimbingan/kadens/", mentoring_views.cadence, name="cadence"),
    path("tim/", mentoring_views.team, name="team"),
    path("talenta/", talent_views.review_list, name="reviews"),
    path("talenta/<int:pk>/", talent_views.review_detail, name="review-detail"),
    path("talenta/<int:pk>/kotak/<int:box>/", talent_views.review_box, name="review-box"),
    path("talenta/<int:pk>/pool/", talent_views.talent_pool, name="talent-pool"),
    path("suksesi/", talent_views.succession_list, name="succession"),
    path("suksesi/<int:pk>/", talent_views.succession_detail, name="succession-detail"),
    path("tindak-lanjut/", followup_views.follow_up_list, name="follow-ups"),
    path("linimasa/", timeline_views.my_timeline, name="my-timeline"),
    path("pegawai/<int:pk>/linimasa/", timeline_views.timeline, name="timeline"),
]
