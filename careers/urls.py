"""Career pages under /karier/."""

from django.urls import path

from . import views

app_name = "careers"
urlpatterns = [
    path("saya/", views.my_career, name="my"),
    path("rencana/", views.plan_list, name="plans"),
    path("rencana/baru/", views.plan_create, name="plan-create"),
    path("rencana/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("rencana/<int:pk>/ubah/", views.plan_edit, name="plan-edit"),
    path("bimbingan/", views.session_list, name="sessions"),
    path("bimbingan/baru/", views.session_create, name="session-create"),
    path("bimbingan/ekspor.xlsx", views.session_export, name="session-export"),
    path("bimbingan/<int:pk>/", views.session_detail, name="session-detail"),
    path("bimbingan/kadens/", views.cadence, name="cadence"),
    path("tim/", views.team, name="team"),
    path("talenta/", views.review_list, name="reviews"),
    path("talenta/<int:pk>/", views.review_detail, name="review-detail"),
    path("talenta/<int:pk>/kotak/<int:box>/", views.review_box, name="review-box"),
    path("talenta/<int:pk>/pool/", views.talent_pool, name="talent-pool"),
    path("suksesi/", views.succession_list, name="succession"),
    path("suksesi/<int:pk>/", views.succession_detail, name="succession-detail"),
    path("tindak-lanjut/", views.follow_up_list, name="follow-ups"),
    path("linimasa/", views.my_timeline, name="my-timeline"),
    path("pegawai/<int:pk>/linimasa/", views.timeline, name="timeline"),
]
