"""limit/offset windows for API lists: clamped, so a negative or huge value is never a 500."""

from django.db.models import QuerySet


def window(qs: QuerySet, *, limit: int, offset: int, maximum: int) -> list:
    limit = max(1, min(limit, maximum))
    offset = max(0, offset)
    return list(qs[offset : offset + limit])
