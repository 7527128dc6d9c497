from django.apps import AppConfig


class ServiceOrdersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gonghui.service_orders"
    verbose_name = "订单式服务"
