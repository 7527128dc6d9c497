"""Whether a user holds a union staff post.

Posts live one floor up, in orgs; accounts needs only the yes/no (staff sign in with a TOTP and land on
the workbench). It asks through the setting GONGHUI_STAFF_CHECK (a dotted path, like the axes callables)
so the import arrow keeps pointing down: core → accounts → orgs."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _check(path: str):
    return import_string(path)


def is_staff_member(user) -> bool:
    return bool(_check(settings.GONGHUI_STAFF_CHECK)(user))
