"""Writes of 劳模工匠 (keyword-only, one transaction, validated, audited), by subject:
selections (register, 评选, drivers' award, 师带徒, technical problems), studios, contests and training,
outreach to honour holders."""

from .contests import *  # noqa: F403
from .outreach import *  # noqa: F403
from .selections import *  # noqa: F403
from .selections import DRIVER_HEADER, MAX_DRIVER_ROWS, _member_in_scope, _text  # noqa: F401
from .studios import *  # noqa: F403
