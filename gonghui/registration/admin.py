from django.contrib import admin

from .models import Certificate, Filing


@admin.register(Filing)
class FilingAdmin(admin.ModelAdmin):
    list_display = ("union_name", "kind", "status", "authority", "submitted_at", "due_date")
    list_filter = ("kind", "status")
    search_fields = ("union_name", "credit_code")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "union_name", "status", "valid_until", "authority")
    list_filter = ("status",)
    search_fields = ("number", "union_name", "credit_code")
    exclude = ("pdf",)
