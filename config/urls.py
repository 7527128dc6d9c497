from django.contrib import admin
from django.urls import include, path

from gonghui.accounts.admin_site import GonghuiAdminSite
from gonghui.site import urls as site_urls

from .api import api

# The admin holds every raw record: it needs the staff TOTP as much as the workbench does.
admin.site.__class__ = GonghuiAdminSite

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("gonghui.accounts.urls")),
    path("workbench/orgs/", include("gonghui.orgs.urls")),
    path("workbench/members/", include("gonghui.members.urls")),
    path("workbench/service-orders/", include("gonghui.service_orders.urls")),
    path("workbench/mutual-aid/", include("gonghui.mutual_aid.urls.bench")),
    path("mutual-aid/", include("gonghui.mutual_aid.urls.worker")),
    path("", include("gonghui.stations.urls")),
    path("", include("gonghui.cases.urls")),
    path("", include("gonghui.members.worker_urls")),
    path("workbench/campaigns/", include("gonghui.campaigns.urls_workbench")),
    path("campaigns/", include("gonghui.campaigns.urls")),
    path("proposals/", include("gonghui.proposals.urls.worker")),
    path("drivers/", include("gonghui.drivers.urls.worker")),
    path("workbench/proposals/", include("gonghui.proposals.urls.bench")),
    path("workbench/drivers/", include("gonghui.drivers.urls.bench")),
    path("workbench/funds/", include("gonghui.funds.urls.bench")),
    path("funds/", include("gonghui.funds.urls.worker")),
    path("registration/", include("gonghui.registration.urls.worker")),
    path("workbench/registration/", include("gonghui.registration.urls.bench")),
    path("honours/", include("gonghui.honours.urls.worker")),
    path("workbench/honours/", include("gonghui.honours.urls.bench")),
    path("notices/", include("gonghui.core.urls_notices")),
    path("aid/", include("gonghui.aid.urls.worker")),
    path("workbench/aid/", include("gonghui.aid.urls.bench")),
    path("workbench/stats/", include("gonghui.stats.urls.bench")),
    path("stats/", include("gonghui.stats.urls.public")),
    path("", include("gonghui.site.urls")),
    # The shell's URLs were `core:…` before the site app; the alias keeps in-flight templates working
    # until every branch of this wave says `site:…`. Remove once `grep -r "'core:" gonghui templates` is empty.
    path("", include((site_urls.urlpatterns, "core"))),
]

handler400 = "gonghui.core.views.bad_request"
handler403 = "gonghui.core.views.forbidden"
handler404 = "gonghui.core.views.not_found"
handler500 = "gonghui.core.views.server_error"
