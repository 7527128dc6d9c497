"""Attachment checks: the type is read from the file's first bytes (one place for every app: core.uploads)."""

from gonghui.core.uploads import SIGNATURES, check_uploads, sniff

__all__ = ["SIGNATURES", "check_uploads", "sniff"]
