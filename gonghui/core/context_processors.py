from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from .notifications import unread_count

        unread = unread_count(user)
    return {
        "SITE_NAME": settings.GONGHUI_SITE_NAME,
        "WORKBENCH_NAME": settings.GONGHUI_WORKBENCH_NAME,
        "DEMO_MODE": not settings.PRODUCTION,
        "unread_count": unread,
    }
