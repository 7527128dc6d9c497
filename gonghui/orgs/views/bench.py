from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core.errors import DomainError
from gonghui.core.forms import FORM_ERROR_STATUS, form_add_errors, form_status

from .. import selectors, services
from ..decorators import workbench_view
from ..forms import OrgCreateForm, OrgForm, StaffForm
from ..models import Org, Staff
from ..scope import in_scope, roles_on
from ..services import ALLOWED_CHILDREN


def _with_counts(orgs):
    orgs = list(orgs)
    counts = selectors.subtree_counts(orgs)
    return [(o, counts[o.pk]) for o in orgs]


@workbench_view
def tree(request):
    q = request.GET.get("q", "").strip()
    results = _with_counts(selectors.org_list(actor=request.user, q=q)[:50]) if q else None
    roots = _with_counts(selectors.org_roots(actor=request.user))
    return render(request, "orgs/tree.html", {"roots": roots, "q": q, "results": results, "nav": "orgs"})


@workbench_view
def children(request, org_id):
    """htmx: one level of the tree, loaded when a node is expanded."""
    org = selectors.org_get(actor=request.user, org_id=org_id)
    nodes = _with_counts(selectors.org_children(actor=request.user, org=org))
    return render(request, "orgs/_children.html", {"nodes": nodes, "parent": org})


@workbench_view
def detail(request, org_id):
    org = selectors.org_get(actor=request.user, org_id=org_id)
    roles = roles_on(request.user, org)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "counts": selectors.subtree_counts([org])[org.pk],
            "breadcrumbs": selectors.visible_ancestors(actor=request.user, org=org),
            "children": _with_counts(selectors.org_children(actor=request.user, org=org)[:200]),
            "staff": selectors.staff_for_org(actor=request.user, org=org),
            "is_admin": Staff.Role.ADMIN in roles,
            "can_have_children": bool(ALLOWED_CHILDREN[Org.Kind(org.kind)]),
            "staff_form": StaffForm(),
            "nav": "orgs",
        },
    )


def _apply_errors(form, exc: DomainError):
    form_add_errors(form, exc)


@workbench_view
@require_http_methods(["GET", "POST"])
def create(request, org_id):
    parent = selectors.org_get(actor=request.user, org_id=org_id, roles=[Staff.Role.ADMIN])
    allowed = ALLOWED_CHILDREN[Org.Kind(parent.kind)]
    form = OrgCreateForm(request.POST or None)
    form.fields["kind"].choices = [(k, label) for k, label in Org.Kind.choices if k in allowed]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        try:
            org = services.org_create(actor=request.user, parent=parent, kind=kind, **data)
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"已新建{org.name}")
            return redirect("orgs_bench:detail", org_id=org.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "parent": parent, "title": "新建下级工会", "nav": "orgs"},
        status=form_status(form),
    )


@workbench_view
@require_http_methods(["GET", "POST"])
def edit(request, org_id):
    org = selectors.org_get(actor=request.user, org_id=org_id, roles=[Staff.Role.ADMIN])
    initial = {f: getattr(org, f) for f in OrgForm.base_fields}
    form = OrgForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_update(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("orgs_bench:detail", org_id=org.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "org": org, "title": f"编辑 {org.name}", "nav": "orgs"},
        status=form_status(form),
    )


@workbench_view
@require_POST
def staff_add(request, org_id):
    org = selectors.org_get(actor=request.user, org_id=org_id, roles=[Staff.Role.ADMIN])
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            services.staff_assign_by_phone(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as exc:
            _apply_errors(form, exc)
    if form.errors:
        return render(
            request,
            "orgs/_staff_panel.html",
            {
                "org": org,
                "staff": selectors.staff_for_org(actor=request.user, org=org),
                "staff_form": form,
                "is_admin": True,
            },
            status=FORM_ERROR_STATUS,
        )
    if request.htmx:
        return render(
            request,
            "orgs/_staff_panel.html",
            {
                "org": org,
                "staff": selectors.staff_for_org(actor=request.user, org=org),
                "staff_form": StaffForm(),
                "is_admin": True,
                "saved": True,
            },
        )
    return redirect("orgs_bench:detail", org_id=org.pk)


@workbench_view
@require_http_methods(["GET", "POST"])
def staff_remove(request, staff_id):
    """撤销 asks first: GET (or a POST without confirm=1) shows what will be revoked; the confirm
    button posts confirm=1. The last admin of a union is refused with the reason."""
    staff = get_object_or_404(Staff.objects.select_related("org", "user"), pk=staff_id, is_active=True)
    if not in_scope(request.user, staff.org, roles=[Staff.Role.ADMIN]):
        return render(
            request,
            "core/error.html",
            {"title": "页面不存在", "message": "未找到该记录，或不在您的管辖范围内。"},
            status=404,
        )
    context = {
        "staff": staff,
        "org": staff.org,
        "is_self": staff.user_id == request.user.pk,
        "last_admin": selectors.staff_is_last_admin(staff=staff),
        "nav": "orgs",
    }
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            services.staff_revoke(actor=request.user, staff=staff)
        except DomainError as exc:
            context["error"] = exc
            return render(request, "orgs/staff_revoke.html", context, status=exc.status)
        messages.success(request, f"已撤销{staff.user.name or '该干部'}的{staff.get_role_display()}岗位")
        return redirect("orgs_bench:detail", org_id=staff.org_id)
    return render(request, "orgs/staff_revoke.html", context)
