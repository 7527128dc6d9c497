from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<int:ticket_id>/cancel/", views.ticket_cancel, name="cancel"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/draw/", views.draw_page, name="draw"),
    path("<int:campaign_id>/offers/<int:offer_id>/grab/", views.offer_grab, name="grab"),
    path("<int:campaign_id>/offers/<int:offer_id>/waitlist/", views.waitlist_join, name="waitlist"),
]
