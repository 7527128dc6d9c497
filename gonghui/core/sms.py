"""SMS sender interface. The default backend writes to the log; a real gateway plugs in by
setting GONGHUI_SMS_BACKEND to a class with the same send() method."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .crypto import mask_phone

logger = logging.getLogger("gonghui.sms")


class SmsBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    def send(self, phone: str, text: str) -> None:
        logger.info("短信 → %s：%s", mask_phone(phone), text)


class MemorySmsBackend(SmsBackend):
    """For tests: keeps what was sent in a list."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def get_backend() -> SmsBackend:
    return import_string(settings.GONGHUI_SMS_BACKEND)()


def send_sms(phone: str, text: str) -> None:
    get_backend().send(phone, text)
