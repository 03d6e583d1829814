from django.urls import path

from asn_portal.api import Router

from .views import (
    CourseViewSet,
    EmployeeJpSummaryView,
    EmployeeRecommendationsView,
    EnrollmentViewSet,
    LearningRecordViewSet,
    OfferingViewSet,
    QuestionnaireViewSet,
)

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("courses", CourseViewSet, basename="course")
router.register("offerings", OfferingViewSet, basename="offering")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("learning-records", LearningRecordViewSet, basename="learning-record")
router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
urlpatterns = [
    path("employees/<int:pk>/recommendations/", EmployeeRecommendationsView.as_view(), name="employee-recommendations"),
    path("employees/<int:pk>/jp-summary/", EmployeeJpSummaryView.as_view(), name="employee-jp-summary"),
    *router.urls,
]
