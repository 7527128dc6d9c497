from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "gonghui.library"
    label = "library"
    verbose_name = "职工书屋"
