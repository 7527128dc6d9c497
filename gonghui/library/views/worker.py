"""Worker pages under /library/ (phone first): 职工书屋 home with the member's e-library, reading rooms
near me (beside the stations), a room's page, the in-browser reader and the member's own history."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core.errors import DomainError
from gonghui.stations.selectors import nearby, nearby_query

from .. import selectors, services
from ..models import EBook

NEAR_RADIUS_M = 5000


def _nearby_context(request) -> dict:
    params = request.GET
    ctx: dict = {"searched": False, "rooms": [], "stations": [], "error": None, "filters": params}
    lat, lng = params.get("lat", ""), params.get("lng", "")
    if not (lat and lng):
        return ctx
    try:
        query = nearby_query(
            lat=lat,
            lng=lng,
            radius_m=params.get("radius_m") or NEAR_RADIUS_M,
            limit=params.get("limit") or 10,
            coord=params.get("coord") or "gcj02",
        )
    except DomainError as exc:
        ctx["error"] = exc
        return ctx
    ctx.update(
        searched=True,
        rooms=selectors.rooms_nearby(query),
        # The stations' own search, the same rows as 附近驿站: a worker may rest and read in one stop.
        stations=nearby(query)[:5],
        radius_m=int(query.radius_m),
    )
    return ctx


def home(request):
    shelf = selectors.shelf_for(actor=request.user) if request.user.is_authenticated else []
    return render(request, "library/home.html", {"shelf": shelf, "tab": "services"})


def nearby_page(request):
    return render(request, "library/nearby.html", {**_nearby_context(request), "tab": "services"})


def nearby_list(request):
    """htmx partial: the lists again when the location changes."""
    return render(request, "library/_nearby_list.html", _nearby_context(request))


def room_page(request, room_id):
    room = selectors.room_public(room_id=room_id)
    return render(
        request,
        "library/room.html",
        {"room": room, "events": selectors.events_of_room(room=room, upcoming_only=True), "tab": "services"},
    )


@login_required
@csp_update(
    {
        "frame-src": ["'self'", "blob:"],
        "style-src": ["blob:", "'unsafe-inline'"],
        "font-src": ["'self'", "blob:", "data:"],
    }
)
def reader(request, loan_id, ebook_id):
    """The reader: foliate-js (EPUB) or pdf.js (PDF) fetch the file from the gated view below.

    This page only widens the CSP: the EPUB's pages, styles and fonts are blob: URLs foliate-js unpacks in
    the browser, and its paginator and the book's own <style> elements are inline styles. Scripts stay
    'self' only (a book's scripts never run), and so do connections."""
    loan, ebook = selectors.readable_get(actor=request.user, loan_id=loan_id, ebook_id=ebook_id)
    keep = request.session.get("library_no_history") is not True
    services.reading_open(actor=request.user, loan=loan, ebook=ebook, keep_history=keep)
    return render(
        request,
        "library/reader.html",
        {"loan": loan, "ebook": ebook, "is_pdf": ebook.format == EBook.Format.PDF, "tab": "services"},
    )


@login_required
def ebook_file(request, loan_id, ebook_id):
    """The bytes, only while the loan runs and only to its members; never cached by the browser or a proxy."""
    _loan, ebook = selectors.readable_get(actor=request.user, loan_id=loan_id, ebook_id=ebook_id)
    content_type = "application/pdf" if ebook.format == EBook.Format.PDF else "application/epub+zip"
    response = FileResponse(ebook.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="book-{ebook.pk}.{ebook.format}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def history(request):
    return render(
        request,
        "library/history.html",
        {
            "entries": list(selectors.history_of(actor=request.user)[:200]),
            "no_history": request.session.get("library_no_history") is True,
            "tab": "me",
        },
    )


@login_required
@require_POST
def history_delete(request):
    entry = request.POST.get("entry")
    try:
        n = services.history_delete(actor=request.user, entry_id=int(entry) if entry else None)
    except ValueError:
        n = 0
    if request.POST.get("stop") == "1":
        request.session["library_no_history"] = True
    elif request.POST.get("stop") == "0":
        request.session["library_no_history"] = False
    messages.success(request, f"已删除 {n} 条阅读记录" if n else "阅读记录设置已保存")
    return redirect("library:history")
