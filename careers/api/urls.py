from django.urls import path

from asn_portal.api import Router

from . import views

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("career-plans", views.CareerPlanViewSet, basename="career-plan")
router.register("mentoring-sessions", views.MentoringSessionViewSet, basename="mentoring-session")
router.register("talent-reviews", views.TalentReviewViewSet, basename="talent-review")
router.register("appraisal-follow-ups", views.FollowUpViewSet, basename="appraisal-follow-up")
urlpatterns = [
    path("succession/", views.SuccessionView.as_view(), name="api-succession"),
    path("employees/<int:pk>/timeline/", views.TimelineView.as_view(), name="api-employee-timeline"),
    *router.urls,
]
