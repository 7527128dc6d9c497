from django.urls import path

from ..views import bench

app_name = "drivers_bench"
urlpatterns = [
    path("", bench.overview, name="overview"),
    path("requests/", bench.request_list, name="requests"),
    path("requests/<int:request_id>/", bench.request_detail, name="request"),
    path("requests/<int:request_id>/<slug:action>/", bench.request_act, name="request_act"),
    path("hotline/", bench.hotline, name="hotline"),
    path("hotline/log/", bench.hotline_log, name="hotline_log"),
    path("hotline/number/", bench.hotline_number, name="hotline_number"),
    path("hotline/<int:call_id>/", bench.call_detail, name="call"),
    path("hotline/<int:call_id>/<slug:action>/", bench.call_act, name="call_act"),
    path("products/", bench.products, name="products"),
    path("products/new/", bench.product_create, name="product_create"),
    path("products/<int:product_id>/", bench.product_edit, name="product"),
    path("orders/", bench.orders, name="orders"),
    path("orders/pickup/", bench.pickup, name="pickup"),
]
