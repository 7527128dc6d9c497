"""Django admin for system administrators: raw fixes only. Personal fields are encrypted and not listed."""

from django.contrib import admin

from .models import AidProgramme, Donation, LowIncomeStandard, PaymentBatch


@admin.register(LowIncomeStandard)
class LowIncomeStandardAdmin(admin.ModelAdmin):
    list_display = ("region_name", "region_code", "monthly", "effective_from")
    search_fields = ("region_name", "region_code")


@admin.register(AidProgramme)
class AidProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "year", "org", "budget", "committed", "paid", "status")
    list_filter = ("kind", "year", "status")
    readonly_fields = ("committed", "paid")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(admin.ModelAdmin):
    list_display = ("number", "programme", "count", "total", "status", "paid_on")
    readonly_fields = ("count", "total")


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ("donor_name", "donor_kind", "amount", "received_on", "programme")
    exclude = ("token",)
