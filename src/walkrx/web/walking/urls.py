"""Walker pages."""

from django.urls import path

from . import (
    views,
    views_app,
    views_checkin,
    views_data,
    views_history,
    views_onboarding,
    views_progress,
    views_safety,
    views_settings,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("today/", views.today, name="today"),
    path("manifest.webmanifest", views_app.manifest, name="manifest"),
    path("sw.js", views_app.service_worker, name="service_worker"),
    path("offline/", views_app.offline, name="offline"),
    path("start/", views_onboarding.onboarding, name="onboarding"),
    path("start/about-you/", views_onboarding.onboarding_profile, name="onboarding_profile"),
    path("walks/log/", views.log_walk, name="log_walk"),
    path("walks/<int:pk>/", views.walk_detail, name="walk_detail"),
    path("walks/", views_history.walk_history, name="walk_history"),
    path("walks/<int:pk>/edit/", views_history.walk_edit, name="walk_edit"),
    path("walks/<int:pk>/delete/", views_history.walk_delete, name="walk_delete"),
    path("walks/deleted/<int:rev>/", views_history.walk_deleted, name="walk_deleted"),
    path("walks/deleted/<int:rev>/undo/", views_history.walk_undo, name="walk_undo"),
    path("settings/", views_settings.settings_page, name="settings"),
    path("check-in/", views_checkin.checkin, name="checkin"),
    path("check-in/<int:pk>/", views_checkin.checkin_detail, name="checkin_detail"),
    path("progress/", views_progress.progress, name="progress"),
    path("safety/", views_safety.safety_page, name="safety"),
    path("safety/review/", views_safety.confirm_review, name="confirm_review"),
    path("safety/new-symptom/", views_safety.new_symptom, name="new_symptom"),
    path("data/", views_data.data_page, name="data"),
    path("data/upload/", views_data.upload, name="upload"),
    path("data/uploads/<str:job_id>/", views_data.upload_status, name="upload_status"),
    path("data/uploads/<str:job_id>/file", views_data.upload_file, name="upload_file"),
    path("data/uploads/<str:job_id>/cancel/", views_data.upload_cancel, name="upload_cancel"),
    path("data/export.zip", views_data.export, name="export"),
    path("data/delete/", views_data.delete_account, name="delete_account"),
]
