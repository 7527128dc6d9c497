from django.urls import path

from ..views import bench

app_name = "library_bench"

urlpatterns = [
    path("", bench.register, name="register"),
    path("rooms/new/", bench.room_new, name="room_new"),
    path("rooms/<int:room_id>/", bench.room_detail, name="room"),
    path("rooms/<int:room_id>/edit/", bench.room_edit, name="room_edit"),
    path("rooms/<int:room_id>/close/", bench.room_close, name="room_close"),
    path("rooms/<int:room_id>/upgrade/", bench.upgrade_apply, name="upgrade_apply"),
    path("rooms/<int:room_id>/events/", bench.event_new, name="event_new"),
    path("upgrades/", bench.upgrades, name="upgrades"),
    path("upgrades/<int:application_id>/", bench.upgrade_detail, name="upgrade"),
    path("evidence/<int:evidence_id>/", bench.evidence_file, name="evidence"),
    path("ebooks/", bench.ebooks, name="ebooks"),
    path("ebooks/<int:collection_id>/", bench.collection_detail, name="collection"),
    path("loans/<int:loan_id>/", bench.loan_detail, name="loan"),
    path("cards/", bench.cards, name="cards"),
]
