from django.contrib import admin

from .models import DriverRequest, Product, PurchaseOrder, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("plate", "kind", "org")


@admin.register(DriverRequest)
class DriverRequestAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "due_on", "org")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "purchase_price", "market_price", "stock", "org")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ("product", "quantity", "status", "created_at")
