"""The public certificate check: anyone (a bank, a court, a member) can see whether a number is valid."""

from __future__ import annotations

from django.shortcuts import redirect, render

from .. import services


def verify_form(request):
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("registration:verify", number=number[:32])
    return render(request, "registration/verify.html", {"result": None})


def verify(request, number: str):
    return render(request, "registration/verify.html", {"result": services.certificate_status(number)})
