from django.urls import path

from ..views import bench

app_name = "outreach_bench"
urlpatterns = [
    path("", bench.home, name="home"),
    path("visits/", bench.visit_list, name="visits"),
    path("visits/new/", bench.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/", bench.visit_detail, name="visit"),
    path("problems/", bench.problems, name="problems"),
    path("problems/<int:problem_id>/", bench.problem_detail, name="problem"),
    path("forums/", bench.forums, name="forums"),
    path("forums/<int:forum_id>/", bench.forum_detail, name="forum"),
    path("meetings/<int:meeting_id>/", bench.meeting_detail, name="meeting"),
]
