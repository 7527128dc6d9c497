from django.urls import path

from ..views import worker

app_name = "campaigns"
urlpatterns = [
    path("", worker.campaign_list, name="list"),
    path("tickets/", worker.ticket_list, name="tickets"),
    path("tickets/<int:ticket_id>/cancel/", worker.ticket_cancel, name="cancel"),
    path("<int:campaign_id>/", worker.campaign_detail, name="detail"),
    path("<int:campaign_id>/draw/", worker.draw_page, name="draw"),
    path("<int:campaign_id>/offers/<int:offer_id>/grab/", worker.offer_grab, name="grab"),
    path("<int:campaign_id>/offers/<int:offer_id>/waitlist/", worker.waitlist_join, name="waitlist"),
]
