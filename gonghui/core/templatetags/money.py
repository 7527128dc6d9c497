"""{% load money %}: amounts in 元 on pages the same way everywhere — {{ amount|yuan }} → 1,234.50."""

from decimal import Decimal, InvalidOperation

from django import template

from gonghui.core import money

register = template.Library()


@register.filter
def yuan(value, places=2):
    """2 decimals with thousands separators (core.money.yuan); ``|yuan:0`` for whole amounts such as band limits."""
    if value is None or value == "":
        return ""
    try:
        if int(places) == 0:
            return f"{Decimal(str(value)):,.0f}"
        return money.yuan(Decimal(str(value)))
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def percent(rate):
    """0.30 → 30%; 0.955 → 95.5%."""
    try:
        value = (Decimal(str(rate)) * 100).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{value:f}%"
