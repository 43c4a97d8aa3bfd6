"""URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("walkrx.web.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("learn/", include("walkrx.web.learn.urls")),
    path("", include("walkrx.web.interop.urls")),
    path("", include("walkrx.web.clinic.urls")),
    path("", include("walkrx.web.walking.urls")),
]
handler500 = "walkrx.web.errors.server_error"
