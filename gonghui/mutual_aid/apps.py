from django.apps import AppConfig


class MutualAidConfig(AppConfig):
    name = "gonghui.mutual_aid"
    label = "mutual_aid"
    verbose_name = "职工医疗互助保障"
