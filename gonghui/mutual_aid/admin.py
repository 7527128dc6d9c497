from django.contrib import admin

from .models import Enrolment, MutualAidClaim, MutualAidProduct


@admin.register(MutualAidProduct)
class MutualAidProductAdmin(admin.ModelAdmin):
    """Raw fixes only; a new year's rules are a new product, never an edit of last year's."""

    list_display = ["name", "year", "org", "deductible", "yearly_cap", "is_active"]
    list_filter = ["year", "is_active"]
    readonly_fields = ["org_path"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["certificate_no", "product", "org", "paid_by", "status"]
    list_filter = ["paid_by", "status"]
    raw_id_fields = ["member", "product", "org", "enrolled_by"]


@admin.register(MutualAidClaim)
class MutualAidClaimAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "admitted_on", "self_paid", "payout", "paid_amount"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["enrolment", "org", "reviewed_by", "filer"]
    readonly_fields = ["payout", "breakdown", "paid_amount"]
