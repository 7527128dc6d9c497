"""Error pages: the same Chinese messages as the API."""

import sys

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .errors import RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE, is_unavailable


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


def unavailable_response(request):
    """503 + Retry-After, rendered without the context processors (they would ask the same database)."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "unavailable", "message": UNAVAILABLE_MESSAGE, "field": None}, status=503
        )
    else:
        try:
            body = render_to_string(
                "core/error.html",
                {"title": "请稍后重试", "message": UNAVAILABLE_MESSAGE, "SITE_NAME": "工会服务"},
            )
        except Exception:  # the page itself could not be drawn: plain words still help
            body = f"<!doctype html><meta charset=utf-8><title>请稍后重试</title><p>{UNAVAILABLE_MESSAGE}</p>"
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    # Django calls this while handling the exception, so it can tell a failover (a lost database or Redis
    # connection, raised anywhere — a middleware loading the user included) from a real fault.
    exc = sys.exc_info()[1]
    if exc is not None and is_unavailable(exc):
        return unavailable_response(request)
    return render(
        request,
        "core/error.html",
        {"title": "系统繁忙", "message": "服务器开小差了，请稍后再试。"},
        status=500,
    )
