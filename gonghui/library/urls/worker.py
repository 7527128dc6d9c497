from django.urls import path

from ..views import worker

app_name = "library"

urlpatterns = [
    path("", worker.home, name="home"),
    path("nearby/", worker.nearby_page, name="nearby"),
    path("nearby/list/", worker.nearby_list, name="nearby_list"),
    path("rooms/<int:room_id>/", worker.room_page, name="room"),
    path("read/<int:loan_id>/<int:ebook_id>/", worker.reader, name="read"),
    path("read/<int:loan_id>/<int:ebook_id>/file/", worker.ebook_file, name="file"),
    path("history/", worker.history, name="history"),
    path("history/delete/", worker.history_delete, name="history_delete"),
]
