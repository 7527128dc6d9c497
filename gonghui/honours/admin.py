from django.contrib import admin

from .models import Agreement, Honour, Selection, TechProblem


@admin.register(Honour)
class HonourAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "year", "awarding_body")
    list_filter = ("level", "year")
    raw_id_fields = ("member", "collective", "org", "selection")


@admin.register(Selection)
class SelectionAdmin(admin.ModelAdmin):
    list_display = ("title", "honour_title", "quota", "status")
    raw_id_fields = ("org", "created_by")


admin.site.register(Agreement)
admin.site.register(TechProblem)
