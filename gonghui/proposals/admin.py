from django.contrib import admin

from .models import Programme, Reward, Tier, Trainer


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["org", "name", "is_active"]
    inlines = [TierInline]
    raw_id_fields = ["org"]


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "org", "appointed_on", "is_active"]
    raw_id_fields = ["org", "user", "appointed_by"]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["year", "quarter", "kind", "recipient_name", "amount", "handed_over_at"]
    list_filter = ["kind", "year", "quarter"]
    raw_id_fields = ["proposal", "recipient", "approved_by", "programme"]
