from django.urls import path

from ..views import bench

app_name = "honours_bench"
urlpatterns = [
    path("", bench.register, name="register"),
    path("register/new/", bench.honour_add, name="honour_add"),
    path("selections/", bench.selections, name="selections"),
    path("selections/<int:selection_id>/", bench.selection, name="selection"),
    path("studios/", bench.studios, name="studios"),
    path("studios/<int:studio_id>/", bench.studio, name="studio"),
    path("agreements/", bench.agreements, name="agreements"),
    path("agreements/<int:agreement_id>/", bench.agreement, name="agreement"),
    path("problems/", bench.problems, name="problems"),
    path("contests/", bench.contests, name="contests"),
    path("contests/<int:contest_id>/", bench.contest, name="contest"),
    path("training/", bench.training, name="training"),
    path("services/", bench.outreach, name="outreach"),
]
