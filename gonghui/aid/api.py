"""帮扶 API at /api/v1/aid/: the self-test (public), programmes, the worker's applications, and the staff
side (documents check, visit, decision, 公示, objections, payment batches, hardship files, donations,
低保 standards, reports). Same services and scope as the pages; errors are {code, message, field}."""

from __future__ import annotations

from ninja import File, Form, Router
from ninja.files import UploadedFile

from gonghui.core.cleaners import clean_year
from gonghui.core.errors import DomainError
from gonghui.core.pagination import window
from gonghui.core.xlsx import xlsx_response
from gonghui.orgs.selectors import org_get

from . import schemas as s
from . import selectors
from .models import AidApplication, AidDocument
from .services import applications, donations, hardship, payments, programmes
from .services.applications import ApplicationData
from .services.hardship import HardshipData, HouseholdFigures

router = Router(tags=["困难帮扶"])
HOW_TO_APPLY = (
    "带上身份证、户口簿、收入和支出证明，向所在单位工会或乡镇(街道)工会申请建档；子女上学的可申请金秋助学。"
)


def _assessment_out(a) -> dict:
    return {
        "category": a.result.category,
        "answer": a.result.self_test_answer,
        "per_capita_monthly": a.result.per_capita_monthly,
        "dibao_monthly": a.dibao,
        "dibao_region": a.dibao_region,
        "dibao_effective_from": a.dibao_from,
        "migrant_hardship": a.result.migrant_hardship,
        "steps": a.result.steps,
        "how_to_apply": HOW_TO_APPLY
        if a.result.qualifies
        else "如家庭遭遇重大变故，可拨打 12351 职工服务热线咨询。",
    }


@router.post("/self-test", auth=None, response=s.SelfTestOut, summary="困难帮扶自测（公开，不保存）")
def self_test(request, payload: s.FiguresIn):
    return _assessment_out(hardship.self_test(HouseholdFigures(**payload.dict())))


# --- worker --------------------------------------------------------------------------------


@router.get("/programmes/open", response=list[s.AidProgrammeOut], summary="可申请的帮扶项目")
def open_programmes(request):
    return list(selectors.programmes_open()[:100])


def _worker_dict(app: AidApplication) -> AidApplication:
    app.status_text = selectors.worker_status_text(app)
    app.missing_documents = applications.missing_documents(app)
    app.document_list = list(app.documents.all())
    return app


@router.post(
    "/programmes/{programme_id}/applications", response={201: s.WorkerApplicationOut}, summary="职工申请帮扶"
)
def apply(request, programme_id: int, payload: s.ApplicationIn):
    programme = selectors.programme_open_get(programme_id)
    app = applications.application_submit(
        actor=request.user, programme=programme, data=ApplicationData(**payload.dict())
    )
    return 201, _worker_dict(app)


@router.get("/me/applications", response=list[s.WorkerApplicationOut], summary="我的帮扶申请")
def my_applications(request):
    return [_worker_dict(a) for a in selectors.worker_applications(actor=request.user)[:100]]


@router.get("/me/applications/{application_id}", response=s.WorkerApplicationOut, summary="我的帮扶申请详情")
def my_application(request, application_id: int):
    return _worker_dict(selectors.worker_application_get(actor=request.user, application_id=application_id))


@router.post(
    "/me/applications/{application_id}/documents",
    response={201: s.WorkerApplicationOut},
    summary="上传申请材料（kind：admission 录取通知书、id_card 身份证、household 户口簿、hardship_proof 困难证明…）",
)
def my_documents(request, application_id: int, kind: Form[str], files: File[list[UploadedFile]]):
    app = selectors.worker_application_get(actor=request.user, application_id=application_id)
    if kind not in AidDocument.Kind.values:
        raise DomainError("未知的材料类型", code="document_kind", field="kind")
    applications.application_add_documents(actor=request.user, application=app, files={kind: files})
    return 201, _worker_dict(app)


@router.post(
    "/me/applications/{application_id}/withdraw", response=s.WorkerApplicationOut, summary="撤回申请"
)
def my_withdraw(request, application_id: int):
    app = selectors.worker_application_get(actor=request.user, application_id=application_id)
    return _worker_dict(applications.application_withdraw(actor=request.user, application=app))


@router.post(
    "/me/applications/{application_id}/sign", response=s.WorkerApplicationOut, summary="签收慰问物资"
)
def my_sign(request, application_id: int):
    app = selectors.worker_application_get(actor=request.user, application_id=application_id)
    if not hasattr(app, "payment"):
        raise DomainError("该申请还没有发放记录", code="no_payment", status=409)
    payments.payment_sign(actor=request.user, payment=app.payment)
    return _worker_dict(app)


# --- staff: programmes and applications ---------------------------------------------------------


@router.get("/programmes", response=list[s.AidProgrammeOut], summary="帮扶项目（本级及下级）")
def programme_list(request, year: int | None = None, limit: int = 50, offset: int = 0):
    year = clean_year(year, required=False)
    return window(
        selectors.programmes_for_staff(actor=request.user, year=year), limit=limit, offset=offset, maximum=200
    )


@router.post("/programmes", response={201: s.AidProgrammeOut}, summary="新建帮扶项目")
def programme_create(request, payload: s.AidProgrammeIn):
    data = payload.dict()
    org = org_get(actor=request.user, org_id=data.pop("org_id"))
    return 201, programmes.programme_create(actor=request.user, org=org, **data)


@router.get("/programmes/{programme_id}", response=s.AidProgrammeOut, summary="帮扶项目详情")
def programme_detail(request, programme_id: int):
    return selectors.programme_get(actor=request.user, programme_id=programme_id)


@router.post(
    "/programmes/{programme_id}/staff-applications",
    response={201: s.StaffApplicationOut},
    summary="工作人员代职工申请",
)
def programme_apply_for(request, programme_id: int, payload: s.StaffApplicationIn):
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    app = applications.application_submit(
        actor=request.user, programme=programme, data=ApplicationData(**payload.dict()), on_behalf=True
    )
    return 201, _staff_dict(app)


def _staff_dict(app: AidApplication) -> AidApplication:
    app.missing_documents = applications.missing_documents(app)
    app.document_list = list(app.documents.all())
    return app


@router.get("/applications", response=list[s.AidApplicationOut], summary="帮扶申请列表（姓名脱敏）")
def application_list(
    request, programme_id: int | None = None, status: str = "", q: str = "", limit: int = 50, offset: int = 0
):
    qs = selectors.applications_for_staff(actor=request.user, programme_id=programme_id, status=status, q=q)
    return window(qs, limit=limit, offset=offset, maximum=200)


def _staff_app(request, application_id: int) -> AidApplication:
    return selectors.application_get(actor=request.user, application_id=application_id)


@router.get(
    "/applications/{application_id}", response=s.StaffApplicationOut, summary="帮扶申请详情（查看留痕）"
)
def application_detail(request, application_id: int):
    return _staff_dict(_staff_app(request, application_id))


@router.post("/applications/{application_id}/check", response=s.StaffApplicationOut, summary="审核材料")
def application_check(request, application_id: int, payload: s.CheckIn):
    app = applications.application_check_documents(
        actor=request.user,
        application=_staff_app(request, application_id),
        complete=payload.complete,
        note=payload.note,
    )
    return _staff_dict(app)


@router.post("/applications/{application_id}/visit", response=s.StaffApplicationOut, summary="登记入户走访")
def application_visit(request, application_id: int, payload: s.VisitIn):
    app = applications.application_visit(
        actor=request.user, application=_staff_app(request, application_id), **payload.dict()
    )
    return _staff_dict(app)


@router.post(
    "/applications/{application_id}/approve",
    response=s.StaffApplicationOut,
    summary="批准（金额按规则，不可超出）",
)
def application_approve(request, application_id: int, payload: s.AidApproveIn):
    app = applications.application_approve(
        actor=request.user,
        application=_staff_app(request, application_id),
        reason=payload.reason,
        amount=payload.amount,
    )
    return _staff_dict(app)


@router.post(
    "/applications/{application_id}/reject", response=s.StaffApplicationOut, summary="不予资助（说明原因）"
)
def application_reject(request, application_id: int, payload: s.AidReasonIn):
    app = applications.application_reject(
        actor=request.user, application=_staff_app(request, application_id), reason=payload.reason
    )
    return _staff_dict(app)


# --- 公示, objections, payments ---------------------------------------------------------------


@router.post(
    "/programmes/{programme_id}/notices",
    response={201: s.NoticeOut},
    summary="发布公示（已批准的申请，姓名脱敏）",
)
def notice_publish(request, programme_id: int, payload: s.NoticeIn):
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    notice = applications.programme_publish_notice(
        actor=request.user, programme=programme, title=payload.title, workdays=payload.workdays
    )
    return 201, {
        **{f: getattr(notice, f) for f in ("id", "title", "starts_on", "ends_on", "workdays")},
        "entries": notice.entries.count(),
    }


@router.get("/objections", response=list[s.ObjectionOut], summary="公示异议")
def objection_list(request, programme_id: int | None = None):
    programme = (
        selectors.programme_get(actor=request.user, programme_id=programme_id) if programme_id else None
    )
    return list(selectors.objections_for_staff(actor=request.user, programme=programme)[:200])


@router.post(
    "/objections/{objection_id}/decide", response=s.ObjectionOut, summary="核实异议（成立则撤销该笔资助）"
)
def objection_decide(request, objection_id: int, payload: s.DecideIn):
    objection = selectors.objection_get(actor=request.user, objection_id=objection_id)
    return applications.objection_decide(
        actor=request.user, objection=objection, upheld=payload.upheld, decision=payload.decision
    )


@router.post(
    "/programmes/{programme_id}/batches",
    response={201: s.AidBatchOut},
    summary="生成发放批次（公示期满且无异议）",
)
def batch_create(request, programme_id: int):
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    return 201, payments.batch_create(actor=request.user, programme=programme)


@router.get("/batches/{batch_id}", response=s.AidBatchOut, summary="发放批次")
def batch_detail(request, batch_id: int):
    return selectors.batch_get(actor=request.user, batch_id=batch_id)


@router.get("/batches/{batch_id}/xlsx", summary="银行发放表 xlsx（含控制总额，导出留痕）")
def batch_xlsx(request, batch_id: int):
    batch = selectors.batch_get(actor=request.user, batch_id=batch_id)
    return xlsx_response(
        payments.batch_export(actor=request.user, batch=batch), f"帮扶发放-{batch.number}.xlsx"
    )


@router.post("/batches/{batch_id}/paid", response=s.AidBatchOut, summary="标记已发放")
def batch_paid(request, batch_id: int, payload: s.PaidIn):
    batch = selectors.batch_get(actor=request.user, batch_id=batch_id)
    return payments.batch_mark_paid(actor=request.user, batch=batch, paid_on=payload.paid_on)


# --- hardship files, 低保, donations, reports ---------------------------------------------------


@router.get("/files", response=list[s.HardshipOut], summary="困难职工档案（姓名脱敏）")
def file_list(request, status: str = "active", category: str = "", limit: int = 50, offset: int = 0):
    qs = selectors.files_for_staff(actor=request.user, status=status, category=category)
    return window(qs, limit=limit, offset=offset, maximum=200)


def _file_detail(file):
    file.steps = []
    if file.status == "active":
        file.steps = hardship.assess(hardship.figures_of(file), on=file.assessed_on).result.steps
    return file


@router.post("/files", response={201: s.HardshipDetailOut}, summary="建立困难职工档案（自动计算类别）")
def file_create(request, payload: s.HardshipIn):
    data = payload.dict()
    org = org_get(actor=request.user, org_id=data.pop("org_id"))
    return 201, _file_detail(
        hardship.hardship_file_create(actor=request.user, org=org, data=HardshipData(**data))
    )


@router.get("/files/{file_id}", response=s.HardshipDetailOut, summary="档案详情与认定计算（查看留痕）")
def file_detail(request, file_id: int):
    return _file_detail(selectors.file_get(actor=request.user, file_id=file_id))


@router.post("/files/{file_id}/recheck", response=s.HardshipDetailOut, summary="年度复核（重新计算类别）")
def file_recheck(request, file_id: int, payload: s.RecheckIn):
    file = selectors.file_get(actor=request.user, file_id=file_id)
    data = HardshipData(**payload.dict(), head_name=file.head_name, head_id_number=file.head_id_number)
    return _file_detail(hardship.hardship_file_recheck(actor=request.user, file=file, data=data))


@router.post("/files/{file_id}/visits", response={201: s.HardshipDetailOut}, summary="登记入户走访")
def file_visit(request, file_id: int, payload: s.VisitIn):
    file = selectors.file_get(actor=request.user, file_id=file_id)
    hardship.visit_record(actor=request.user, org=file.org, hardship_file=file, **payload.dict())
    return 201, _file_detail(file)


@router.post("/files/{file_id}/leave", response=s.HardshipDetailOut, summary="脱困（说明原因）")
def file_leave(request, file_id: int, payload: s.AidLeaveIn):
    file = selectors.file_get(actor=request.user, file_id=file_id)
    return _file_detail(
        hardship.hardship_file_leave(
            actor=request.user, file=file, reason=payload.reason, left_on=payload.left_on
        )
    )


@router.get("/dibao", response=list[s.DibaoOut], summary="各地低保标准")
def dibao_list(request):
    return list(selectors.dibao_list()[:500])


@router.post("/dibao", response={201: s.DibaoOut}, summary="录入低保标准")
def dibao_set(request, payload: s.DibaoIn):
    data = payload.dict()
    org = org_get(actor=request.user, org_id=data.pop("org_id"))
    return 201, hardship.dibao_set(actor=request.user, org=org, **data)


@router.get("/donations", response=list[s.DonationOut], summary="社会捐赠")
def donation_list(request, limit: int = 50, offset: int = 0):
    return window(selectors.donations_for_staff(actor=request.user), limit=limit, offset=offset, maximum=200)


@router.post("/donations", response={201: s.DonationOut}, summary="登记捐赠")
def donation_create(request, payload: s.DonationIn):
    data = payload.dict()
    org = org_get(actor=request.user, org_id=data.pop("org_id"))
    programme_id = data.pop("programme_id")
    programme = (
        selectors.programme_get(actor=request.user, programme_id=programme_id) if programme_id else None
    )
    return 201, donations.donation_record(actor=request.user, org=org, programme=programme, **data)


@router.get("/donations/report/{token}", auth=None, summary="捐赠去向（公开链接，不含受助人姓名）")
def donation_report(request, token: str):
    r = selectors.donation_report(selectors.donation_by_token(token))
    d = r["donation"]
    out = {
        "donor_name": d.donor_name,
        "amount": d.amount,
        "received_on": d.received_on,
        "org_name": d.org.name,
        "programme": None,
    }
    if r["programme"] is not None:
        out["programme"] = {
            "name": r["programme"].name,
            "people": r["people"],
            "paid_total": r["paid_total"],
            "by_category": r["rows"],
            "donated_total": r["donated_total"],
            "share_percent": r["share_percent"],
            "donor_part": r["donor_part"],
        }
    return out


@router.get("/reports", summary="帮扶统计：按项目、类别、工会；累计资助学生和金额（不对个人排名）")
def report(request, year: int):
    year = clean_year(year, required=True)
    r = selectors.report(actor=request.user, year=year)
    return r
