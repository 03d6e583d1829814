from django.urls import path

from asn_portal.api import Router

from . import views

router = Router(trailing_slash=True)
router.register("promotion-periods", views.PeriodViewSet, basename="promotion-period")
router.register("rank-promotion-queue", views.QueueViewSet, basename="rank-promotion-queue")
router.register("promotion-proposals", views.ProposalViewSet, basename="promotion-proposal")
router.register("vacancies", views.VacancyViewSet, basename="vacancy")
urlpatterns = [
    path("employees/<int:pk>/promotion-outlook/", views.OutlookView.as_view(), name="employee-promotion-outlook"),
    *router.urls,
]
