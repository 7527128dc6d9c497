from __future__ import annotations

import datetime as dt

from ninja import Schema


class FilingIn(Schema):
    org_id: int
    kind: str
    union_name: str = ""
    credit_code: str = ""
    legal_rep: str = ""
    address: str = ""
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    change_date: dt.date | None = None
    reason: str = ""
    documents: list[str] = []


class ReturnIn(Schema):
    items: list[str]


class FilingOut(Schema):
    id: int
    org_id: int
    org_name: str
    authority_id: int
    authority_name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    union_name: str
    credit_code: str
    legal_rep: str
    address: str
    term_start: dt.date | None
    term_end: dt.date | None
    late: bool
    corrections: list[str]
    due_date: dt.date
    overdue: bool
    certificate_number: str

    @staticmethod
    def resolve_org_name(obj):
        return obj.org.name

    @staticmethod
    def resolve_authority_name(obj):
        return obj.authority.name

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj):
        from .services import today

        return obj.status == "submitted" and obj.due_date < today()

    @staticmethod
    def resolve_certificate_number(obj):
        cert = getattr(obj, "certificate", None) if obj.status == "approved" else None
        return cert.number if cert else ""


class VerifyOut(Schema):
    number: str
    status: str
    status_label: str
    union_name: str = ""
    credit_code: str = ""
    legal_rep: str = ""
    authority: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    superseded_by: str = ""
