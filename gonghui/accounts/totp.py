"""Binding a TOTP authenticator (e.g. 腾讯身份验证器) for staff, shown as a QR code."""

import base64

import segno
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.core.audit import audit_record


def totp_begin(*, user) -> dict:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "工作台动态口令"}
    )
    qr = segno.make(device.config_url, error="m")
    return {"qr_svg": qr.svg_inline(scale=4), "secret": base64.b32encode(device.bin_key).decode()}


@transaction.atomic
def totp_confirm(*, user, token: str) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token((token or "").strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="auth.totp_bind", obj=user)
    return True
