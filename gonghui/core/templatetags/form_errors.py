from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def has_error(errors, field: str) -> bool:
    return bool(errors) and bool(errors.field(field))


@register.simple_tag(takes_context=True)
def field_error(context, field: str):
    """The messages of one field, linked from the summary at the top (id err-<field>)."""
    errors = context.get("form_errors")
    messages = errors.field(field) if errors else []
    if not messages:
        return ""
    return format_html(
        '<span class="error" id="err-{}">{}</span>',
        field,
        format_html_join("；", "{}", ((m,) for m in messages)),
    )


@register.filter
def django_form_errors(form):
    """A Django form's errors as the one FormErrors shape, for {% include "core/_form_errors.html" %}."""
    from gonghui.core.forms import FormErrors

    return FormErrors.from_form(form, prefix_fields=True) if form is not None and form.is_bound else None
