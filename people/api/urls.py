from django.urls import path

from asn_portal.api import Router

from .access_log import MyAccessLogView
from .views import AgencyViewSet, EmployeeViewSet, MeView, PositionViewSet, RankViewSet, UnitViewSet

router = Router(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")
router.register("units", UnitViewSet, basename="unit")
router.register("positions", PositionViewSet, basename="position")
router.register("ranks", RankViewSet, basename="rank")
router.register("employees", EmployeeViewSet, basename="employee")
urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/access-log/", MyAccessLogView.as_view(), name="api-me-access-log"),
    *router.urls,
]
