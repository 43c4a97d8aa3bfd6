"""Education URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="learn"),
    path("<slug:slug>/", views.detail, name="learn_page"),
]
