"""Clinic URLs (under ``clinic/``) and the walker's "My clinician" pages."""

from django.urls import path

from . import views, views_admin, views_report, views_walker

urlpatterns = [
    path("clinic/", views.caseload, name="clinic_caseload"),
    path("clinic/invite/", views.invite, name="clinic_invite"),
    path("clinic/walkers/<slug:name>/", views.walker_page, name="clinic_walker"),
    path("clinic/walkers/<slug:name>/clear/", views.clear, name="clinic_clear"),
    path("clinic/walkers/<slug:name>/acknowledge/", views.acknowledge, name="clinic_ack"),
    path("clinic/walkers/<slug:name>/settings/", views.walker_settings, name="clinic_settings"),
    path("clinic/walkers/<slug:name>/session/", views.session, name="clinic_session"),
    path("clinic/walkers/<slug:name>/report/", views_report.clinic_report, name="clinic_report"),
    path("clinic/admin/clinicians/", views_admin.clinicians, name="clinic_admin_clinicians"),
    path("clinic/admin/audit/", views_admin.audit_log, name="clinic_admin_audit"),
    path("my-clinician/", views_walker.my_clinician, name="my_clinician"),
    path("my-clinician/join/", views_walker.join, name="my_clinician_join"),
    path("my-clinician/end/", views_walker.end_link, name="my_clinician_end"),
    path("my-clinician/report/", views_report.my_report, name="my_report"),
]
