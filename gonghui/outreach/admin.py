from django.contrib import admin

from .models import Agreement, Forum, Meeting, Opinion, Problem, Visit


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("enterprise_name", "org", "visited_on", "rules_advised", "rules_improved")
    search_fields = ("enterprise_name",)
    readonly_fields = ("org_path",)


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ("title", "org", "status", "due_on")
    list_filter = ("status",)


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ("text", "org", "source", "problem", "resolved_on")
    list_filter = ("source",)


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("name", "org", "min_per_year")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "forum", "kind", "scheduled_on", "status")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "forum", "signed_on")
