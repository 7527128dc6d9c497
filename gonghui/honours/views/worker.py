"""劳模工匠 on the phone: the worker's own honours."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors


@login_required
def mine(request):
    honours = selectors.honours_for_user(request.user)[:200]
    return render(request, "honours/mine.html", {"honours": honours, "tab": "services"})
