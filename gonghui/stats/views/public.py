"""The public figures page of a union (/stats/<org_id>/): only when the union turned it on, only the figures
it chose, and only totals — never names, never a ranking. A union that has not turned it on is a 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from .. import selectors
from ..definitions import BY_KEY


def board(request, org_id: int):
    found = selectors.public_board(org_id)
    if found is None:
        raise Http404
    org, board = found
    m0, m1 = selectors.period()
    data = selectors.overview(org, m0, m1)
    rows = [
        {"figure": BY_KEY[key], "value": data["figures"][key]}
        for key in board.figures
        if key in BY_KEY and BY_KEY[key].public
    ]
    return render(request, "stats/public.html", {"org": org, "rows": rows, "data": data})
