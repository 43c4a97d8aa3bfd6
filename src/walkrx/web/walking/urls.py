"""Walker pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.today, name="today"),
    path("walks/log/", views.log_walk, name="log_walk"),
]
