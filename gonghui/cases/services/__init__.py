"""Writes for 诉求工单. Each service: keyword-only, one transaction, validates, audits, notifies after commit.

A package split by topic (filing, handling, closing, escalation); every public name is re-exported here, so
`from gonghui.cases.services import X` keeps working."""

from .closing import case_archive, case_merge, case_rate, case_reopen, reopen_window_open
from .common import (
    ACT_ROLES,
    DEPARTMENTS,
    EMPLOYER_CATEGORIES,
    MAX_CLAIMANTS,
    MAX_LENGTHS,
    READ_ROLES,
    CaseInput,
    ClaimantInput,
    S,
    chain_positions,
)
from .escalation import cases_escalate_overdue
from .filing import case_file, case_open_for_org
from .handling import (
    case_accept,
    case_add_info,
    case_assign,
    case_assign_lawyer,
    case_joint_step,
    case_message,
    case_pause,
    case_pii_read,
    case_record_payment,
    case_resolve,
    case_resume,
    case_set_difficulty,
    case_transfer,
)

__all__ = [
    "ACT_ROLES",
    "DEPARTMENTS",
    "EMPLOYER_CATEGORIES",
    "MAX_CLAIMANTS",
    "MAX_LENGTHS",
    "READ_ROLES",
    "CaseInput",
    "ClaimantInput",
    "S",
    "case_accept",
    "case_add_info",
    "case_archive",
    "case_assign",
    "case_assign_lawyer",
    "case_file",
    "case_joint_step",
    "case_merge",
    "case_message",
    "case_open_for_org",
    "case_pause",
    "case_pii_read",
    "case_rate",
    "case_record_payment",
    "case_reopen",
    "case_resolve",
    "case_resume",
    "case_set_difficulty",
    "case_transfer",
    "cases_escalate_overdue",
    "chain_positions",
    "reopen_window_open",
]
