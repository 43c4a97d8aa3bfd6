"""URL configuration.

The walker's pages come first: they are asked for most, and Django tries the patterns in
order. No pattern of one app matches another app's paths (``tests/web/test_urls.py``
resolves every named page back to itself), so the order changes nothing else.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("walkrx.web.walking.urls")),
    path("", include("walkrx.web.clinic.urls")),
    path("", include("walkrx.web.interop.urls")),
    path("accounts/", include("walkrx.web.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("learn/", include("walkrx.web.learn.urls")),
    path("admin/", admin.site.urls),
]
handler500 = "walkrx.web.errors.server_error"
