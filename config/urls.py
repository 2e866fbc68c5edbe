from django.contrib import admin
from django.urls import include, path

from web.health import healthz

admin.site.site_header = "Care Circles"
admin.site.site_title = "Care Circles admin"
admin.site.index_title = "Set up circles, people and care plans"

# Drawn without the database, so a database that is away gets a page in plain words.
handler500 = "web.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("", include("web.account")),
    path("shifts/", include("web.carer")),
    path("family/", include("web.family")),
    path("leaders/", include("web.leaders")),
]
