"""One way a page shows a failed form: every error at once, a summary at the top that takes the focus,
each field marked, what was typed kept, and one status code (422) for the failed post.

    errors = FormErrors.from_exc(exc)          # a DomainError (or Invalid carrying several)
    errors = FormErrors.from_form(form)        # a Django form's errors
    return form_failed(request, "app/page.html", context, errors)

Templates: {% include "core/_form_errors.html" %} at the top of the form, then per field
{% field_error "name" %} and {% if form_errors|has_error:"name" %}has-error{% endif %}.
htmx requests get the same 422; base.html tells htmx to swap a 422 like a 200.
"""

from __future__ import annotations

from django.shortcuts import render

from .errors import DomainError

FORM_ERROR_STATUS = 422
GENERAL = "__all__"


class FormErrors:
    def __init__(self, fields: set[str] | None = None):
        # The fields the form shows; an error on any other field is listed in the summary only.
        self.known = fields
        self.items: list[tuple[str, str]] = []  # (field or GENERAL, message), in order

    def add(self, message: str, field: str | None = None) -> FormErrors:
        field = field or GENERAL
        if self.known is not None and field not in self.known:
            field = GENERAL
        if (field, message) not in self.items:
            self.items.append((field, str(message)))
        return self

    def add_exc(self, exc: DomainError) -> FormErrors:
        for error in getattr(exc, "errors", None) or [exc]:
            self.add(error.message, error.field)
        return self

    @classmethod
    def from_exc(cls, exc: DomainError, fields=None) -> FormErrors:
        """A refusal of scope or permission (404/403/401) is not a form error: it goes on to the
        ordinary error page, so nothing leaks that the record exists."""
        if exc.status in (401, 403, 404) and not getattr(exc, "errors", None):
            raise exc
        return cls(set(fields) if fields else None).add_exc(exc)

    @classmethod
    def from_form(cls, form, prefix_fields: bool = False) -> FormErrors:
        errors = cls()
        for field, messages in form.errors.items():
            name = GENERAL if field == "__all__" else form.add_prefix(field) if prefix_fields else field
            for message in messages:
                errors.add(message, name)
        return errors

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def field(self, name: str) -> list[str]:
        return [m for f, m in self.items if f == name]

    @property
    def fields(self) -> set[str]:
        return {f for f, _ in self.items}

    @property
    def first_field(self) -> str:
        return next((f for f, _ in self.items if f != GENERAL), "")


def form_failed(request, template: str, context: dict, errors, *, status: int = FORM_ERROR_STATUS):
    """Render the page again with its errors, answering 422 to browsers and htmx alike."""
    if isinstance(errors, DomainError):
        errors = FormErrors.from_exc(errors)
    context = {**context, "form_errors": errors}
    return render(request, template, context, status=status)


def form_add_errors(form, exc: DomainError) -> None:
    """Put a service's errors (one, or all of an Invalid) on a Django form: on the field they name
    ("offers.0.capacity" → offers) when the form has it, else on the form."""
    if exc.status in (401, 403, 404) and not getattr(exc, "errors", None):
        raise exc
    for error in getattr(exc, "errors", None) or [exc]:
        field = (error.field or "").split(".")[0]
        form.add_error(field if field in form.fields else None, error.message)


def form_status(form) -> int:
    """The status of a page that shows this form: 422 once a post has failed, else 200."""
    return FORM_ERROR_STATUS if form is not None and form.is_bound and form.errors else 200
