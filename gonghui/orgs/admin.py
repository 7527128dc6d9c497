from django.contrib import admin

from .models import Org, Staff


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region_code", "credit_code", "depth", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "credit_code", "region_code")
    readonly_fields = ("path", "depth", "parent")


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ("user", "org", "role", "title", "can_reveal_pii", "is_active")
    list_filter = ("role", "is_active", "can_reveal_pii")
    raw_id_fields = ("user", "org")
