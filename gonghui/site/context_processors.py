from django.utils.functional import SimpleLazyObject


def navigation(request):
    """`bench_nav`: the sidebar's pages for this user (computed only when a workbench page renders it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"bench_nav": []}

    def build():
        from .navigation import bench_nav

        return bench_nav(user)

    return {"bench_nav": SimpleLazyObject(build)}
