from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "gonghui.registration"
    label = "registration"
    verbose_name = "工会法人登记"
