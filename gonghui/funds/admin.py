"""System administrators' raw view. Schemes, budgets and applications change through the workbench (services,
audited); the admin edits only the 工会经费 split rules, which have no page yet."""

from django.contrib import admin

from .models import Budget, Contribution, FundApplication, LedgerEntry, PaymentBatch, Scheme, SplitRule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "org", "category", "applicant", "current_version", "is_active")
    search_fields = ("code", "name")


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("scheme", "year", "amount", "committed", "paid")


@admin.register(FundApplication)
class FundApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "scheme", "applicant_name", "status", "maximum", "approved_amount")
    list_filter = ("status",)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "org", "status", "count", "total")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "amount", "recipient", "category", "year")


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("org", "month", "payroll", "due", "paid", "kept", "sent_up")


@admin.register(SplitRule)
class SplitRuleAdmin(admin.ModelAdmin):
    list_display = ("province_code", "org_kind", "kept_rate", "note")
