from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import DistributionCheckView, PerformancePlanViewSet, PredikatHistoryView, UnitPerformanceViewSet

router = DefaultRouter(trailing_slash=True)
router.register("performance-plans", PerformancePlanViewSet, basename="performance-plan")
router.register("unit-performance", UnitPerformanceViewSet, basename="unit-performance")
urlpatterns = [
    path("employees/<int:pk>/predikat-history/", PredikatHistoryView.as_view(), name="employee-predikat-history"),
    path("distribution-check/", DistributionCheckView.as_view(), name="distribution-check"),
    *router.urls,
]
