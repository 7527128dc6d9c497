"""Shared by the campaign services: roles, limits, the grab outcome types, local time helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from gonghui.core.errors import DomainError
from gonghui.core.glossary import OCCUPATIONS
from gonghui.orgs.models import Staff

from ..models import Entry, Ticket

MANAGE_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
REDEEM_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER, Staff.Role.STATION_KEEPER)
OCCUPATION_LABELS = dict(OCCUPATIONS)
MAX_OFFERS = 200
MAX_CAPACITY = 1_000_000


class GrabRefused(DomainError):
    """An honest "no" to a grab, with the details a page needs (e.g. the countdown)."""

    status = 409

    def __init__(self, message: str, *, code: str, status: int = 409, **extra):
        super().__init__(message, code=code, status=status)
        self.extra = extra

    def as_dict(self) -> dict:
        return {**super().as_dict(), **self.extra}


@dataclass
class GrabOutcome:
    result: str  # "won" | "already" | "entered" | "already_entered"
    message: str
    ticket: Ticket | None = None
    entry: Entry | None = None


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _countdown(seconds: int) -> str:
    days, rest = divmod(max(0, seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{minutes}分" if minutes else ""]
    return "".join(parts) + f"{secs}秒"
