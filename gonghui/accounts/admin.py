from django.contrib import admin

from .models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Phone numbers appear masked; accounts are found by name (the number is encrypted)."""

    list_display = ("name", "phone_masked", "is_active", "is_staff", "real_name_verified", "date_joined")
    list_filter = ("is_active", "is_staff", "real_name_verified")
    search_fields = ("name",)
    fields = (
        "name",
        "is_active",
        "is_staff",
        "is_superuser",
        "real_name_verified",
        "date_joined",
        "last_login",
    )
    readonly_fields = ("date_joined", "last_login")
