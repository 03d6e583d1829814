from django.urls import path

from asn_portal.api import Router

from .views import DistributionCheckView, PerformancePlanViewSet, PredikatHistoryView, UnitPerformanceViewSet

router = Router(trailing_slash=True)
router.register("performance-plans", PerformancePlanViewSet, basename="performance-plan")
router.register("unit-performance", UnitPerformanceViewSet, basename="unit-performance")
urlpatterns = [
    path("employees/<int:pk>/predikat-history/", PredikatHistoryView.as_view(), name="employee-predikat-history"),
    path("distribution-check/", DistributionCheckView.as_view(), name="distribution-check"),
    *router.urls,
]
