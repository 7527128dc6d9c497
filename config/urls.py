from django.contrib import admin
from django.urls import include, path

from gonghui.accounts.admin_site import GonghuiAdminSite

from .api import api

# The admin holds every raw record: it needs the staff TOTP as much as the workbench does.
admin.site.__class__ = GonghuiAdminSite

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("gonghui.accounts.urls.worker")),
    path("accounts/", include("gonghui.accounts.urls.bench")),
    path("workbench/orgs/", include("gonghui.orgs.urls.bench")),
    path("workbench/members/", include("gonghui.members.urls.bench")),
    path("workbench/service-orders/", include("gonghui.service_orders.urls.bench")),
    path("workbench/mutual-aid/", include("gonghui.mutual_aid.urls.bench")),
    path("mutual-aid/", include("gonghui.mutual_aid.urls.worker")),
    path("stations/", include("gonghui.stations.urls.worker")),
    path("workbench/stations/", include("gonghui.stations.urls.bench")),
    path("cases/", include("gonghui.cases.urls.worker")),
    path("workbench/cases/", include("gonghui.cases.urls.bench")),
    path("", include("gonghui.members.urls.worker")),
    path("workbench/campaigns/", include("gonghui.campaigns.urls.bench")),
    path("campaigns/", include("gonghui.campaigns.urls.worker")),
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
    path("outreach/", include("gonghui.outreach.urls.worker")),
    path("workbench/outreach/", include("gonghui.outreach.urls.bench")),
    path("notices/", include("gonghui.core.urls_notices")),
    path("aid/", include("gonghui.aid.urls.worker")),
    path("workbench/aid/", include("gonghui.aid.urls.bench")),
    path("workbench/", include("gonghui.site.urls.bench")),
    path("", include("gonghui.site.urls.worker")),
]

handler400 = "gonghui.core.views.bad_request"
handler403 = "gonghui.core.views.forbidden"
handler404 = "gonghui.core.views.not_found"
handler500 = "gonghui.core.views.server_error"
