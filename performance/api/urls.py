from django.urls import path

from asn_portal.api import Router

from .imports import PredikatImportViewSet
from .views import DistributionCheckView, PerformancePlanViewSet, PredikatHistoryView, UnitPerformanceViewSet

router = Router(trailing_slash=True)
router.register("performance-plans", PerformancePlanViewSet, basename="performance-plan")
router.register("unit-performance", UnitPerformanceViewSet, basename="unit-performance")
router.register("predikat-imports", PredikatImportViewSet, basename="predikat-import")
urlpatterns = [
    path("employees/<int:pk>/predikat-history/", PredikatHistoryView.as_view(), name="employee-predikat-history"),
    path("distribution-check/", DistributionCheckView.as_view(), name="distribution-check"),
    *router.urls,
]
