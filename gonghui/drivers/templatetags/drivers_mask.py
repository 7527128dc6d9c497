"""Masked display of the hotline log's personal data (core.crypto's masks, as everywhere)."""

from django import template

from gonghui.core.crypto import mask_name, mask_phone

register = template.Library()
register.filter("mask_name", mask_name)
register.filter("mask_phone", mask_phone)
