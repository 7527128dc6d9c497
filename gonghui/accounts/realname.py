"""Real-name verifier interface (实名核验). A real service (公安身份核验, a bank four-element check, 微信/
支付宝实名) plugs in by setting GONGHUI_REALNAME_BACKEND to a class with the same verify() method; the
default backend only checks the number's form and writes a masked line to the log (demo and pilots).
An empty setting turns online certification off: workers are then certified only by union staff."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from gonghui.core.crypto import mask_id_number, mask_name
from gonghui.core.validators import parse_id_number

logger = logging.getLogger("gonghui.realname")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str = ""


class RealNameVerifier:
    label = "实名核验服务"

    def verify(
        self, *, name: str, id_number: str, phone: str = ""
    ) -> Verdict:  # pragma: no cover - interface
        raise NotImplementedError


class LogRealNameVerifier(RealNameVerifier):
    """Demo backend: the number must be well-formed; the check is written to the log, masked."""

    label = "实名核验（演示：仅记录日志）"

    def verify(self, *, name: str, id_number: str, phone: str = "") -> Verdict:
        try:
            parse_id_number(id_number)
        except ValidationError as exc:
            return Verdict(False, str(exc.messages[0]))
        logger.info("实名核验 → %s %s：通过（演示后端）", mask_name(name), mask_id_number(id_number))
        return Verdict(True)


class MemoryRealNameVerifier(RealNameVerifier):
    """For tests: answers from `refuse` (id numbers that fail) and keeps what was asked."""

    asked: list[tuple[str, str]] = []
    refuse: set[str] = set()

    def verify(self, *, name: str, id_number: str, phone: str = "") -> Verdict:
        MemoryRealNameVerifier.asked.append((name, id_number))
        if id_number in MemoryRealNameVerifier.refuse:
            return Verdict(False, "姓名与身份证号不一致")
        return Verdict(True)


def get_verifier() -> RealNameVerifier | None:
    path = getattr(settings, "GONGHUI_REALNAME_BACKEND", "")
    return import_string(path)() if path else None
