"""The one pagination entry point for every API list and every page list.

API lists (limit/offset query parameters)::

    from gonghui.core.pagination import window
    @router.get("/things", response=list[ThingOut])
    def thing_list(request, limit: int = 50, offset: int = 0):
        return window(selectors.things(actor=request.user), limit=limit, offset=offset, maximum=200)

Pages (``?page=N``)::

    from gonghui.core.pagination import page_of
    page = page_of(qs, request.GET.get("page"), per_page=30)

Any value — negative, zero, huge (``offset=10**30``), not a number — is clamped, never a 500: a huge
offset becomes an empty window (SQLite and PostgreSQL refuse integers past 2**63), a bad page number the
nearest valid page.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

# Far beyond any real list, far below the 64-bit limit of SQLite and PostgreSQL OFFSET.
MAX_OFFSET = 10_000_000


def clamp(*, limit, offset=0, maximum: int, default: int | None = None) -> tuple[int, int]:
    """(limit, offset) made safe: 1 ≤ limit ≤ maximum, 0 ≤ offset ≤ MAX_OFFSET."""
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        limit = default or maximum
    try:
        offset = int(offset)
    except (TypeError, ValueError):
        offset = 0
    return max(1, min(limit, maximum)), max(0, min(offset, MAX_OFFSET))


def window(qs: QuerySet | list, *, limit, offset=0, maximum: int) -> list:
    """The rows [offset, offset + limit) of qs, with limit and offset clamped (see clamp)."""
    limit, offset = clamp(limit=limit, offset=offset, maximum=maximum)
    return list(qs[offset : offset + limit])


def page_of(qs: QuerySet | list, number, *, per_page: int, paginator_class=Paginator) -> Page:
    """One page of qs for a page list: a missing, bad or out-of-range number gives the nearest page.
    paginator_class: a Paginator subclass (e.g. one whose count is capped)."""
    number = str(number or "1")[:12]
    return paginator_class(qs, per_page).get_page(number)
