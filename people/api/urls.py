from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import MeView

router = DefaultRouter(trailing_slash=True)
urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
