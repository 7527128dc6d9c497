"""Display filters shared by every app's templates: {% load gonghui_format %}."""

from django import template

from gonghui.core.validators import display_phone

register = template.Library()


@register.filter
def phone(value):
    """+8613800000001 → 138 0000 0001; a masked 138****0001 or a landline is left as it is."""
    return display_phone(value)
