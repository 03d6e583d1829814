from django.urls import path

from . import views

urlpatterns = [
    path("bare/", views.bare_page, name="bench-bare"),
    path("bare.json", views.bare_json, name="bench-bare-json"),
    path("shell/", views.shell_page, name="bench-shell"),
    path("empty.json", views.empty_api_list, name="bench-empty-json"),
]
