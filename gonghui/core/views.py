"""Error pages: the same Chinese messages as the API."""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": "请求有误", "message": "请求格式不正确或内容过大，请返回重试。"},
        status=400,
    )


def forbidden(request, exception=None):
    return render(
        request, "core/error.html", {"title": "没有权限", "message": "您没有访问此页面的权限。"}, status=403
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": "页面不存在", "message": "未找到该页面，或该内容不在您的管辖范围内。"},
        status=404,
    )


def server_error(request):
    return render(
        request,
        "core/error.html",
        {"title": "系统繁忙", "message": "服务器开小差了，请稍后再试。"},
        status=500,
    )
