from django.urls import path

from ..views import public

app_name = "stats"
urlpatterns = [path("<int:org_id>/", public.board, name="public")]
