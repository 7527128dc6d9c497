from django.urls import path

from ..views import bench as views

app_name = "service_orders_bench"
urlpatterns = [
    path("", views.home, name="home"),
    path("menu/", views.menu, name="menu"),
    path("menu/new/", views.item_edit, name="item_new"),
    path("menu/<int:item_id>/", views.item_order, name="item"),
    path("menu/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("orders/", views.orders, name="orders"),
    path("queue/", views.queue, name="queue"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/<slug:action>/", views.order_action, name="order_action"),
    path("experts/", views.experts, name="experts"),
    path("experts/<int:expert_id>/", views.expert_detail, name="expert"),
    path("teams/<int:team_id>/calendar/", views.team_calendar, name="team_calendar"),
    path("calendar/", views.union_calendar, name="calendar"),
    path("stats/", views.stats, name="stats"),
]
