from django.urls import path

from asn_portal.api import Router

from .views import AssessmentViewSet, CompetencyViewSet, EmployeeProfileView, RequirementViewSet

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("competencies", CompetencyViewSet, basename="competency")
router.register("competency-requirements", RequirementViewSet, basename="competency-requirement")
router.register("assessments", AssessmentViewSet, basename="assessment")
urlpatterns = [
    path("employees/<int:pk>/competency-profile/", EmployeeProfileView.as_view(), name="employee-competency-profile"),
    *router.urls,
]
