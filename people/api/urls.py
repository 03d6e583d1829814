from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import AgencyViewSet, EmployeeViewSet, MeView, PositionViewSet, RankViewSet, UnitViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")
router.register("units", UnitViewSet, basename="unit")
router.register("positions", PositionViewSet, basename="position")
router.register("ranks", RankViewSet, basename="rank")
router.register("employees", EmployeeViewSet, basename="employee")
urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
