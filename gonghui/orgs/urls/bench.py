from django.urls import path

from ..views import bench as views

app_name = "orgs_bench"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:org_id>/", views.detail, name="detail"),
    path("<int:org_id>/children/", views.children, name="children"),
    path("<int:org_id>/new/", views.create, name="create"),
    path("<int:org_id>/edit/", views.edit, name="edit"),
    path("<int:org_id>/staff/", views.staff_add, name="staff_add"),
    path("staff/<int:staff_id>/revoke/", views.staff_remove, name="staff_revoke"),
]
