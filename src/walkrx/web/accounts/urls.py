"""Account URLs (Django's auth views are mounted beside these under ``accounts/``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
]
