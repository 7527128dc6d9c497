"""工会法人登记 API at /api/v1/registration: filings, approvals, and the public certificate check."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router

from gonghui.core.errors import NotFound
from gonghui.core.pagination import window
from gonghui.orgs.scope import scoped_orgs

from . import selectors, services
from .schemas import FilingIn, FilingOut, ReturnIn, VerifyOut

router = Router(tags=["工会法人登记"])


@router.get("/certificates/verify/{number}", auth=None, response=VerifyOut, summary="公开查验法人资格证书")
def verify(request, number: str):
    return services.certificate_status(number)


@router.get("/filings", response=list[FilingOut], summary="登记申请（本级及下级）")
def filing_list(request, view: str = "", limit: int = 50, offset: int = 0):
    return window(selectors.filings(actor=request.user, view=view), limit=limit, offset=offset, maximum=200)


@router.post("/filings", response={201: FilingOut}, summary="基层工会提交登记申请（五类）")
def filing_create(request, payload: FilingIn):
    data = payload.dict()
    org = scoped_orgs(request.user).filter(pk=data.pop("org_id")).first()
    if org is None:
        raise NotFound()
    return 201, services.filing_submit(actor=request.user, org=org, **data)


@router.get("/filings/{int:filing_id}", response=FilingOut, summary="登记申请详情")
def filing_detail(request, filing_id: int):
    return selectors.filing_get(actor=request.user, filing_id=filing_id)


@router.post("/filings/{int:filing_id}/approve", response=FilingOut, summary="登记机关核准并签发电子证书")
def filing_approve(request, filing_id: int):
    filing = selectors.filing_get(actor=request.user, filing_id=filing_id)
    services.filing_approve(actor=request.user, filing=filing)
    return selectors.filing_get(actor=request.user, filing_id=filing_id)


@router.post("/filings/{int:filing_id}/return", response=FilingOut, summary="退回补正（逐条列明补正事项）")
def filing_return(request, filing_id: int, payload: ReturnIn):
    filing = selectors.filing_get(actor=request.user, filing_id=filing_id)
    return services.filing_return(actor=request.user, filing=filing, items=payload.items)


@router.get("/certificates/{number}/pdf", summary="下载签章电子证书 PDF")
def certificate_pdf(request, number: str):
    cert = selectors.certificate_get(actor=request.user, number=number)
    response = HttpResponse(bytes(cert.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    return response
