"""Opening hours: parsing the way staff write them, "open now" and "opens at".

Hours are stored per weekday (Monday = 0) as ranges "HH:MM"–"HH:MM"; a range whose end is not after
its start runs past midnight into the next day (22:00–06:00). Closures (temporary or holiday) cover
whole calendar days in Asia/Shanghai time and override everything, 24-hour stations included.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gonghui.core.errors import DomainError

WEEKDAYS = "一二三四五六日"
DAY_MINUTES = 1440
WEEK_MINUTES = 7 * DAY_MINUTES
_TIME = re.compile(r"^([01]?\d|2[0-4])[:：]([0-5]\d)$")
_RANGE = re.compile(r"(\d{1,2}[:：]\d{2})\s*[-–—~～至到]\s*(\d{1,2}[:：]\d{2})")
_DAY = r"(?:周|星期)?([一二三四五六日天])"


def _minutes(text: str, field: str) -> int:
    m = _TIME.match(text.strip())
    if not m:
        raise DomainError(f"时间“{text}”格式不对，应为 HH:MM，例如 08:30", code="bad_time", field=field)
    value = int(m.group(1)) * 60 + int(m.group(2))
    if value > DAY_MINUTES:
        raise DomainError(f"时间“{text}”超出 24:00", code="bad_time", field=field)
    return value


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_index(char: str) -> int:
    return 6 if char in "日天" else WEEKDAYS.index(char)


def _days(spec: str, field: str) -> list[int]:
    spec = spec.strip().replace("星期", "周")
    if spec in ("", "每天", "每日", "全周", "周一至周日"):
        return list(range(7))
    if spec in ("工作日",):
        return list(range(5))
    if spec in ("周末", "双休日"):
        return [5, 6]
    m = re.fullmatch(_DAY + r"\s*[至到\-–~～]\s*" + _DAY, spec)
    if m:
        a, b = _day_index(m.group(1)), _day_index(m.group(2))
        return list(range(a, b + 1)) if a <= b else [*range(a, 7), *range(0, b + 1)]
    parts = [p for p in re.split(r"[、,，/ ]+", spec) if p]
    days = []
    for part in parts:
        m = re.fullmatch(_DAY, part)
        if not m:
            raise DomainError(
                f"看不懂“{spec}”：请写成 周一至周五、周六、周日、每天 或 工作日", code="bad_days", field=field
            )
        days.append(_day_index(m.group(1)))
    return days


def parse_hours(text: str, *, field: str = "hours") -> tuple[dict[str, list[list[str]]], bool]:
    """'周一至周五 08:00-20:00；周六、周日 09:00-17:00' → (hours, is_24h). Empty text = closed every day.

    A segment without days applies to every day; '休息' closes the named days; '24小时' alone means
    open round the clock."""
    text = (text or "").strip()
    if re.fullmatch(r"(全天)?24\s*小时(营业|开放)?|全天", text):
        return {}, True
    hours: dict[str, list[list[str]]] = {}
    for segment in re.split(r"[；;\n]+", text):
        segment = segment.strip()
        if not segment:
            continue
        first = _RANGE.search(segment)
        if not first and "休息" not in segment and "闭站" not in segment:
            raise DomainError(f"“{segment}”里没有时间段，应写成 08:00-20:00", code="bad_hours", field=field)
        day_spec = segment[: first.start()] if first else segment.replace("休息", "").replace("闭站", "")
        days = _days(day_spec, field)
        if not first:
            for d in days:
                hours.pop(str(d), None)
            continue
        rest = segment[first.start() :]
        ranges = []
        for m in _RANGE.finditer(rest):
            start, end = _minutes(m.group(1), field), _minutes(m.group(2), field)
            if start == DAY_MINUTES:
                raise DomainError("开始时间不能是 24:00", code="bad_time", field=field)
            if start == end:
                raise DomainError(
                    f"时间段 {m.group(0)} 开始和结束相同；全天开放请勾选“24小时”",
                    code="bad_hours",
                    field=field,
                )
            ranges.append([_fmt(start), _fmt(end)])
        leftover = _RANGE.sub("", rest).strip(" ,，、")
        if leftover:
            raise DomainError(
                f"看不懂“{leftover}”：时间段应写成 08:00-20:00，多个用逗号分开", code="bad_hours", field=field
            )
        for d in days:
            hours[str(d)] = ranges
    return dict(sorted(hours.items())), False


def format_hours(hours: dict, is_24h: bool) -> str:
    """The inverse of parse_hours, grouping consecutive days with the same ranges."""
    if is_24h:
        return "24小时"
    if not hours:
        return "暂无固定开放时间"

    def key(d):
        return ",".join(f"{a}-{b}" for a, b in hours.get(str(d), []))

    parts, d = [], 0
    while d < 7:
        k = key(d)
        e = d
        while e + 1 < 7 and key(e + 1) == k:
            e += 1
        if k:
            days = (
                "每天"
                if (d, e) == (0, 6)
                else (f"周{WEEKDAYS[d]}" if d == e else f"周{WEEKDAYS[d]}至周{WEEKDAYS[e]}")
            )
            parts.append(f"{days} {k}")
        d = e + 1
    return "；".join(parts)


@dataclass(frozen=True)
class Schedule:
    """Compiled hours: intervals in minutes of the week, for quick checks in the nearby index."""

    is_24h: bool
    intervals: tuple[tuple[int, int], ...]  # [start, end) minutes from Monday 00:00, may pass WEEK_MINUTES
    closures: tuple[tuple[dt.date, dt.date], ...] = field(default=())

    @classmethod
    def compile(cls, hours: dict, is_24h: bool, closures=()) -> Schedule:
        intervals = []
        for day, ranges in (hours or {}).items():
            base = int(day) * DAY_MINUTES
            for start, end in ranges:
                s = _minutes(start, "hours")
                e = _minutes(end, "hours")
                if e <= s:
                    e += DAY_MINUTES
                intervals.append((base + s, base + e))
        return cls(is_24h, tuple(sorted(intervals)), tuple(sorted(closures)))

    def closed_on(self, day: dt.date) -> tuple[dt.date, dt.date] | None:
        for start, end in self.closures:
            if start <= day <= end:
                return start, end
        return None

    def is_open(self, now: dt.datetime) -> bool:
        if self.closed_on(now.date()):
            return False
        if self.is_24h:
            return True
        m = now.weekday() * DAY_MINUTES + now.hour * 60 + now.minute
        return any(s <= m < e or (e > WEEK_MINUTES and m < e - WEEK_MINUTES) for s, e in self.intervals)

    def closes_at(self, now: dt.datetime) -> dt.datetime | None:
        """When the current opening ends (None for 24h or when closed)."""
        if not self.is_open(now) or self.is_24h:
            return None
        m = now.weekday() * DAY_MINUTES + now.hour * 60 + now.minute
        week_start = dt.datetime.combine(now.date() - dt.timedelta(days=now.weekday()), dt.time(), now.tzinfo)
        best = None
        for s, e in self.intervals:
            if s <= m < e:
                end = week_start + dt.timedelta(minutes=e)
            elif e > WEEK_MINUTES and m < e - WEEK_MINUTES:
                end = week_start + dt.timedelta(minutes=e - WEEK_MINUTES)
            else:
                continue
            best = end if best is None or end > best else best
        return best

    def next_open(self, now: dt.datetime, horizon_days: int = 14) -> dt.datetime | None:
        """The first moment after now when the station opens (now itself if open); None if not within horizon."""
        if self.is_open(now):
            return now
        today = now.date()
        for offset in range(horizon_days + 1):
            day = today + dt.timedelta(days=offset)
            if self.closed_on(day):
                continue
            if self.is_24h:
                return dt.datetime.combine(day, dt.time(), now.tzinfo)
            base = day.weekday() * DAY_MINUTES
            starts = sorted(s - base for s, _ in self.intervals if base <= s < base + DAY_MINUTES)
            for s in starts:
                when = dt.datetime.combine(day, dt.time(s // 60, s % 60), now.tzinfo)
                if when > now:
                    return when
        return None

    def status(self, now: dt.datetime) -> dict:
        """What a worker reads on the list: open or not, until when, or when it opens."""
        closure = self.closed_on(now.date())
        if self.is_open(now):
            if self.is_24h:
                return {"open": True, "label": "24小时开放", "next": None}
            end = self.closes_at(now)
            return {"open": True, "label": f"营业中 · {_fmt(end.hour * 60 + end.minute)} 关门", "next": None}
        opens = self.next_open(now)
        if opens is None:
            label = f"暂停开放（至 {closure[1]:%Y-%m-%d}）" if closure else "暂未开放"
            return {"open": False, "label": label, "next": None}
        prefix = f"闭站至 {closure[1]:%m-%d}" if closure else "已关门"
        return {"open": False, "label": f"{prefix} · {when_label(opens, now)} 开门", "next": opens}


def when_label(when: dt.datetime, now: dt.datetime) -> str:
    days = (when.date() - now.date()).days
    hm = f"{when:%H:%M}"
    if days == 0:
        return f"今天 {hm}"
    if days == 1:
        return f"明天 {hm}"
    if days == 2:
        return f"后天 {hm}"
    return f"{when:%m-%d}（周{WEEKDAYS[when.weekday()]}）{hm}"
