"""{% load money %} … {{ amount|yuan }} → "4,000.00": one way to show 元 on every page (core.money.yuan)."""

from django import template

from gonghui.core.money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "0.00"
    try:
        return _yuan(value)
    except (TypeError, ValueError):
        return ""
