"""One error shape for pages and API: {"code", "message", "field"} with a Chinese message."""

from __future__ import annotations

import contextlib
import re

from django.core.exceptions import ValidationError
from django.views import debug


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = "请求无效"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
    ):
        self.message = message or self.default_message
        self.code = code or self.code
        self.field = field
        if status is not None:
            self.status = status
        super().__init__(self.message)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}

    @classmethod
    def from_validation(cls, exc: ValidationError, field: str | None = None) -> DomainError:
        """Wrap a Django ValidationError raised by a validator, keeping its Chinese message and code."""
        error = exc.error_list[0] if hasattr(exc, "error_list") else exc
        message = error.message % error.params if getattr(error, "params", None) else error.message
        return cls(str(message), code=error.code or "invalid", field=field)


class NotFound(DomainError):
    """Also used when the record exists but lies outside the actor's scope: never leak existence."""

    status = 404
    code = "not_found"
    default_message = "未找到该记录，或不在您的管辖范围内"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = "您没有执行此操作的权限"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    default_message = "请先登录"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "数据已变化，请刷新后重试"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = "操作太频繁，请稍后再试"


class Invalid(DomainError):
    """Several field errors found in one pass, so a form can show them all at once. The API shape stays
    the one error: the first is the answer's code, message and field; pages read `errors`."""

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.message, code=first.code, field=first.field, status=first.status)
        self.errors = errors


class ErrorCollector:
    """Check every field before giving up:

    errors = ErrorCollector()
    with errors.check():
        name = clean_name(name)
    with errors.check():
        id_number = clean_id(id_number)
    errors.raise_if_any()
    """

    def __init__(self):
        self.errors: list[DomainError] = []

    @contextlib.contextmanager
    def check(self):
        try:
            yield
        except DomainError as exc:
            self.errors.extend(getattr(exc, "errors", None) or [exc])

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise Invalid(self.errors)


def field_value(cleaned, field: str, validator):
    """Run a validator and report its failure against the named field."""
    try:
        return validator(cleaned)
    except ValidationError as exc:
        raise DomainError.from_validation(exc, field=field) from exc


HTTP_STATUS_ERRORS = {
    400: ("json_invalid", "请求体不是有效的 JSON，请检查格式后重试"),
    401: ("unauthorized", "请先登录，或登录已过期，请重新登录"),
    403: ("forbidden", "您没有执行此操作的权限"),
    404: ("not_found", "未找到该记录，或不在您的管辖范围内"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "请求过大，请检查后重试"),
    415: ("unsupported_media_type", "请求体应为 JSON（Content-Type: application/json）"),
    503: ("unavailable", "系统正在切换，请稍后重试（约 2 秒）"),
}


# A database or cache that is switching over (a failover, a restart) is a 503 the client may retry after
# RETRY_AFTER_SECONDS — never a 500. Grabs carry an idempotency key, so the retry cannot buy twice.
RETRY_AFTER_SECONDS = 2
UNAVAILABLE_MESSAGE = "系统正在切换，请稍后重试（约 2 秒）"


def is_unavailable(exc: BaseException) -> bool:
    """True for a lost or refused database connection, or a write sent to a server that has just become
    a standby: the request did not complete and may be retried."""
    from django.db import InterfaceError, InternalError, OperationalError

    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, InternalError):
        cause = exc.__cause__
        return getattr(cause, "sqlstate", None) == "25006"  # read_only_sql_transaction
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ReadOnlyError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency of django-redis
        return False
    return isinstance(exc, (RedisConnectionError, RedisTimeoutError, ReadOnlyError))


def http_status_error(status: int) -> tuple[str, str]:
    """(code, Chinese message) for an HTTP error that carries no message of ours."""
    return HTTP_STATUS_ERRORS.get(status, ("http_error", "请求有误，请检查后重试"))


# Every `code` an API error may carry (the `code` of ErrorOut). A new code is added here, in the group it
# belongs to; gonghui/core/tests/test_error_codes.py fails on a DomainError whose code is missing.
ERROR_CODES: frozenset[str] = frozenset(
    {
        # 统计看板 (stats)
        "stats_date_format",
        "stats_figure_invalid",
        "stats_figures_required",
        "stats_number_format",
        "stats_number_range",
        "stats_period_long",
        "stats_period_order",
        "stats_target_kind",
        # domain rules (DomainError and its subclasses, validators in core/validators.py)
        # 职工书屋 (library)
        "already_closed",
        "already_decided",
        "application_open",
        "bad_borrower",
        "level_not_yours",
        "loan_ended",
        "loan_not_started",
        "loan_overlap",
        "loan_too_long",
        "no_approver",
        "own_application",
        "room_changed",
        "room_closed",
        "top_level",
        # 走访与协商 (outreach)
        "commitments_required",
        "commitments_too_many",
        "count_invalid",
        "followup_done",
        "item_not_problem",
        "items_required",
        "measure_done",
        "meeting_cancelled",
        "meeting_not_held",
        "meeting_not_scheduled",
        "meeting_not_yet",
        "meeting_required",
        "minimum_too_low",
        "opinion_outside",
        "opinion_resolved",
        "opinions_required",
        "owner_invalid",
        "owner_required",
        "participants_required",
        "problem_closed",
        "result_invalid",
        "side_invalid",
        "source_invalid",
        "topic_duplicate",
        "topic_invalid",
        # 帮扶 (aid)
        "already_signed",
        "amount_over_rule",
        "bank_account_format",
        "batch_paid",
        "beneficiary_same",
        "budget_exhausted",
        "budget_range",
        "dibao_missing",
        "dibao_range",
        "document_kind",
        "documents_invalid",
        "documents_missing",
        "documents_required",
        "donor_kind",
        "duplicate_need",
        "file_exists",
        "file_left",
        "household_member",
        "kind_required",
        "level_required",
        "monthly_range",
        "no_payment",
        "not_yours",
        "nothing_payable",
        "occasion",
        "paid_on_future",
        "photo_required",
        "programme_closed",
        "programme_invalid",
        "received_on_future",
        "rules_invalid",
        "visit_required",
        "visited_on_future",
        # honours (gonghui/honours)
        "choice",
        "year_invalid",
        "holder_required",
        "quota_invalid",
        "dates_invalid",
        "not_open",
        "scoring_closed",
        "conflict_of_interest",
        "score_invalid",
        "already_published",
        "shortlist_empty",
        "cell_invalid",
        "header_invalid",
        "apprentices_required",
        "self_apprentice",
        "member_required",
        "already_solved",
        "self_not_allowed",
        "units_not_allowed",
        "already_nominated",
        "already_scored",
        "not_in_notice",
        "notice_running",
        "member_unknown",
        "duplicate_row",
        "already_taken",
        "not_proposed",
        # honours: prize money, 师带徒 milestones, studios, contests, outreach (wave 2b)
        "prize_scheme_required",
        "prize_unbooked",
        "agreement_closed",
        "milestone_done",
        "milestones_open",
        "studio_exists",
        "basis_required",
        "funds_unavailable",
        "funding_other_org",
        "funding_not_approved",
        "funding_linked",
        "review_exists",
        "number_invalid",
        "events_required",
        "events_duplicate",
        "contest_closed",
        "team_size",
        "event_unknown",
        "no_entrants",
        "scores_missing",
        "entrant_exists",
        "certificate_exists",
        "already_targeted",
        "no_holders",
        # funds: the prize scheme a selection pays from
        "prize_scheme_invalid",
        # input cleaners (core/cleaners.py)
        "amount_too_small",
        "invalid_amount",
        "invalid_date",
        "date_too_late",
        "invalid_region",
        # working-day calendar (core/workdays.py and its users)
        "holiday",
        # 实名认证 and joining (accounts.services.real_name_certify, members.services)
        "realname_method_invalid",
        "realname_no_account",
        "realname_offline",
        "realname_not_member",
        "realname_refused",
        "realname_mismatch",
        "channel_invalid",
        "code_required",
        # drivers (gonghui/drivers)
        "plate_invalid",
        "date_invalid",
        "description_required",
        "topic_required",
        "price_invalid",
        "stock_invalid",
        "quantity_invalid",
        "plate_exists",
        "request_closed",
        "already_escalated",
        "caller_unknown",
        "out_of_stock",
        "order_closed",
        "call_converted",
        "assignee_invalid",
        "pickup_code_invalid",
        # 公示 (core/notices.py)
        "notice_source",
        "notice_title",
        "notice_empty",
        "notice_workdays",
        "notice_duplicate",
        "notice_closed",
        "name_required",
        "reason_short",
        "reason_long",
        "decision_required",
        "dues_zero",
        "entry_invalid",
        "objection_decided",
        # 全员改善 (proposals)
        "already_handed_over",
        "already_rewarded",
        "already_submitted",
        "date_format",
        "date_past",
        "no_programme",
        "not_adopted",
        "not_editable",
        "not_implemented",
        "not_on_team",
        "not_reviewer",
        "not_under_review",
        "org_outside",
        "programme_exists",
        "range_order",
        "reviewer_conflict",
        "score_range",
        "team_author",
        "team_duplicate",
        "team_too_large",
        "tier_exists",
        "action",
        "action_invalid",
        "already_drawn",
        "already_has_ticket",
        "already_member",
        "already_picked",
        "already_redeemed",
        "already_resolved",
        "already_withdrawn",
        "already_revoked",
        "amount_format",
        "amount_mismatch",
        "amount_negative",
        "amount_over",
        "amount_precision",
        "amount_range",
        "amount_required",
        "amount_too_large",
        "bad_amenity",
        "bad_bbox",
        "bad_claimant",
        "bad_code",
        "bad_coord",
        "bad_date",
        "bad_days",
        "bad_file",
        "bad_handler",
        "bad_header",
        "bad_hours",
        "bad_kind",
        "bad_lat",
        "bad_lawyer",
        "bad_limit",
        "bad_lng",
        "bad_number",
        "bad_occupation",
        "bad_phone",
        "bad_point",
        "bad_radius",
        "bad_range",
        "bad_rating",
        "bad_spacing",
        "bad_status",
        "bad_target",
        "bad_time",
        "bad_township",
        "bad_weekday",
        "bad_weight",
        "body_required",
        "cancelled",
        "case_daily_cap",
        "category_required",
        "channel",
        "claimant_name",
        "code_invalid",
        "code_taken",
        "conflict",
        "coord_range",
        "coords_swapped",
        "credit_checksum",
        "credit_length",
        "credit_required",
        "credit_taken",
        "date",
        "date_required",
        "date_too_early",
        "department",
        "description_long",
        "description_short",
        "difficulty",
        "dues_duplicate",
        "duplicate",
        "employer_required",
        "employer_union",
        "employment_form_invalid",
        "empty",
        "enrollment_closed",
        "enrollment_pending",
        "expert_busy",
        "expert_invalid",
        "experts_short",
        "expired",
        "field_invalid",
        "file_empty",
        "file_expired",
        "file_required",
        "file_too_large",
        "file_type",
        "file_unreadable",
        "forbidden",
        "has_tickets",
        "header_missing",
        "id_attempts",
        "id_birth_date",
        "id_checksum",
        "id_format",
        "id_length",
        "id_province",
        "id_registered",
        "id_required",
        "idempotency_key_reused",
        "illegal_transition",
        "invalid",
        "invalid_capacity",
        "invalid_choice",
        "invalid_deadline",
        "invalid_transition",
        "invalid_validity",
        "invalid_window",
        "ip_throttled",
        "kind_invalid",
        "kind_not_allowed",
        "last_admin",
        "leave_clash",
        "locked_out",
        "lockout_code",
        "login_failed",
        "lottery_pending",
        "merge_employer",
        "merge_self",
        "mode_invalid",
        "name_format",
        "no_card",
        "no_route",
        "no_territorial_union",
        "no_union",
        "not_a_number",
        "not_active",
        "not_found",
        "not_lottery",
        "not_member",
        "not_requested",
        "not_sold_out",
        "not_started",
        "not_yet_valid",
        "occupation_invalid",
        "org_invalid",
        "org_out_of_scope",
        "org_required",
        "otp_attempts",
        "otp_required",
        "out_of_range",
        "outcome",
        "outside_area",
        "outside_china",
        "password_weak",
        "past_deadline",
        "period_before_join",
        "period_format",
        "period_future",
        "personal_number_in_url",
        "phone_format",
        "phone_invalid",
        "phone_required",
        "photo_too_big",
        "photo_type",
        "rate_limited",
        "rate_range",
        "rating",
        "reason_required",
        "redeem_check",
        "reason_too_long",
        "region_format",
        "region_required",
        "reopen_expired",
        "reopen_satisfied",
        "required",
        "retired_no_dues",
        "reveal_reason_required",
        "role_invalid",
        "root_exists",
        "same_org",
        "session_ended",
        "status_invalid",
        "status_same",
        "summary_required",
        "text_too_long",
        "too_long",
        "too_many",
        "too_many_claimants",
        "too_many_dates",
        "too_many_entries",
        "too_many_files",
        "too_many_points",
        "too_many_rows",
        "transfer_state",
        "transferring",
        "unauthorized",
        "under_age",
        "wage_range",
        "wage_required",
        "window_open",
        "xlsx_bomb",
        # 医疗互助 (mutual_aid)
        "accident_not_covered",
        "admitted_required",
        "allowance_days",
        "already_done",
        "band_format",
        "band_gap",
        "band_open",
        "band_order",
        "band_rate",
        "bands_required",
        "date_future",
        "dates_order",
        "days",
        "discharged_future",
        "discharged_required",
        "donated_as",
        "duplicate_stay",
        "eligibility",
        "hospital_required",
        "hospital_too_long",
        "import_header",
        "insured_over_total",
        "item",
        "kind",
        "members_required",
        "not_covered",
        "paid_by",
        "period_order",
        "photos_required",
        "product_closed",
        "product_name",
        "product_org",
        "self_paid_over",
        "status",
        "stay_too_long",
        "year_state",
        # funds (subsidy schemes, budgets, 工会经费)
        "already_applied",
        "already_reviewed",
        "amount_invalid",
        "amount_out_of_bounds",
        "applicant_invalid",
        "batch_empty",
        "budget_below_used",
        "category_invalid",
        "control_total_mismatch",
        "formula_invalid",
        "month_future",
        "no_budget",
        "not_eligible",
        "once_invalid",
        "period_invalid",
        "period_missing",
        "pilot_invalid",
        "quote_input_invalid",
        "scheme_closed",
        "scheme_code_taken",
        "scheme_name_missing",
        "scheme_out_of_period",
        # 工会法人登记 (registration)
        "address_required",
        "already_registered",
        "change_date_future",
        "change_date_required",
        "corrections_required",
        "credit_mismatch",
        "credit_not_union",
        "filing_decided",
        "filing_open",
        "legal_rep_no_position",
        "legal_rep_required",
        "no_authority",
        "not_grassroots",
        "not_registered",
        "not_returned",
        "nothing_changed",
        "renew_too_early",
        "term_length",
        "term_not_new",
        "term_order",
        "term_required",
        # HTTP-level (config/api.py)
        "bad_request",
        "http_error",
        "json_invalid",
        "nul_char",
        "method_not_allowed",
        "server_error",
        "too_large",
        "unavailable",
        "unsupported_media_type",
        # request validation (pydantic error types, config/api.py on_validation_error)
        "bool_parsing",
        "bool_type",
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
        "datetime_from_date_parsing",
        "datetime_parsing",
        "datetime_type",
        "decimal_parsing",
        "decimal_type",
        "dict_type",
        "enum",
        "extra_forbidden",
        "float_parsing",
        "float_type",
        "greater_than",
        "greater_than_equal",
        "int_from_float",
        "int_parsing",
        "int_parsing_size",
        "int_type",
        "less_than",
        "less_than_equal",
        "list_type",
        "literal_error",
        "missing",
        "model_attributes_type",
        "model_type",
        "none_required",
        "string_pattern_mismatch",
        "string_too_long",
        "string_too_short",
        "string_type",
        "too_short",
        "url_parsing",
        "uuid_parsing",
        "value_error",
    }
)


class SafeExceptionReporterFilter(debug.SafeExceptionReporterFilter):
    """Django's debug error page (demo mode) with connection strings hidden too: DATABASE_URL and
    REDIS_URL carry passwords and would otherwise be shown among the request's environment."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE|_URL|DSN|FIELD_ENCRYPTION",
        flags=re.IGNORECASE,
    )
