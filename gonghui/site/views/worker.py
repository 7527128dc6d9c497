"""The shell's worker face: the home page and its tiles, 服务, 我的, the inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from gonghui.core import notifications
from gonghui.orgs.scope import scope_paths

# The home page tiles: (title, subtitle, icon, url name or None while the feature is being built).
HOME_TILES = [
    ("我要入会", "随时随地 线上申请", "join", "members:join"),
    ("电子会员卡", "扫码亮证 享受服务", "card", "members:card"),
    ("附近驿站", "歇脚 喝水 热饭 充电", "station", "stations:map"),
    ("抢课抢券", "公益课程 福利券", "ticket", "campaigns:list"),
    ("我要维权", "欠薪 工伤 劳动合同", "shield", "cases:mine"),
    ("医疗互助", "住院补助 第二医保", "heart", "mutual_aid:home"),
    ("困难帮扶", "自测 助学 救助", "users", "aid:home"),
    ("全员改善", "随手拍 提建议 得奖励", "bulb", "proposals:mine"),
    ("司机之家", "证照提醒 年审代办 会员价", "menu", "drivers:home"),
    ("我的荣誉", "劳模 工匠 先进", "user", "honours:mine"),
    ("我提的意见", "反映问题 看办理结果", "bulb", "outreach:mine"),
    ("点单服务", "心理 法律 技能", "menu", None),
    ("技能补贴", "培训取证 补贴申请", "card", "funds:list"),
]


def home(request):
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    return render(request, "site/home.html", {"tiles": HOME_TILES, "member": member, "tab": "home"})


def services_page(request):
    return render(request, "site/services.html", {"tiles": HOME_TILES, "tab": "services"})


@login_required
def me(request):
    member = getattr(request.user, "member", None)
    return render(
        request,
        "site/me.html",
        {"member": member, "tab": "me", "is_union_staff": bool(scope_paths(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    if request.method == "POST":
        notifications.notification_mark_read(user=request.user)
    items = notifications.notifications_for(request.user)[:50]
    return render(request, "site/inbox.html", {"items": items, "tab": "me"})
