from django.contrib import admin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The holiday calendar is reference data: system administrators add next year's days each November."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
