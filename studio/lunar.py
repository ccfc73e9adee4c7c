"""The Chinese (lunar) calendar, through borax (docs/decisions.md, "Lunar calendar").

A recurring lunar date (a festival, a lunar birthday) is a month, a day and whether the
month is a leap month (闰月). It is kept each lunar year on `observed(...)`:

- a leap-month date, in a year without that leap month, in the ordinary month of the same
  number (born in 闰六月: the birthday is in 六月 in years with no 闰六月);
- the 30th, in a year where that month has 29 days, on the 29th (its last day).

The library's table covers lunar years 1900 to 2100 (solar 1900-01-31 to 2101-01-28).
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from borax.calendars.lunardate import MAX_SOLAR_DATE, MIN_SOLAR_DATE, LCalendars, LunarDate

FIRST_YEAR, LAST_YEAR = 1900, 2100
FIRST_DAY, LAST_DAY = MIN_SOLAR_DATE, MAX_SOLAR_DATE


@dataclass(frozen=True)
class LunarDay:
    year: int
    month: int
    day: int
    leap: bool = False


class NoSuchLunarDate(ValueError):
    """A lunar date that does not exist; `reason` says why: "range" (a month outside 1–12,
    a day outside 1–30, a year outside the table), "leap" (no such leap month that year),
    "short" (the 30th of a 29-day month)."""

    def __init__(self, reason: str, year: int, month: int, day: int, leap: bool):
        super().__init__(f"No lunar date {year}-{'leap ' if leap else ''}{month}-{day} ({reason})")
        self.reason, self.year, self.month, self.day, self.leap = reason, year, month, day, leap


def leap_month(year: int) -> int:
    """The number of the year's leap month, 0 when it has none."""
    return int(LCalendars.leap_month(year))


def month_days(year: int, month: int, *, leap: bool = False) -> int:
    """How many days (29 or 30) the month has; 0 when the year has no such month."""
    if leap and leap_month(year) != month:
        return 0
    return int(LCalendars.ndays(year, month, int(leap)))


def to_lunar(day: date) -> LunarDay:
    """The lunar date of a solar day (ValueError outside the table)."""
    if not FIRST_DAY <= day < LAST_DAY:
        raise ValueError(f"{day} is outside the lunar table")
    found = LunarDate.from_solar(day)
    return LunarDay(found.year, found.month, found.day, bool(found.leap))


def to_solar(year: int, month: int, day: int, *, leap: bool = False) -> date:
    """The solar date of an exact lunar date, or NoSuchLunarDate saying why not."""
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12 and 1 <= day <= 30):
        raise NoSuchLunarDate("range", year, month, day, leap)
    days = month_days(year, month, leap=leap)
    if days == 0:
        raise NoSuchLunarDate("leap", year, month, day, leap)
    if day > days:
        raise NoSuchLunarDate("short", year, month, day, leap)
    solar: date = LunarDate(year, month, day, int(leap)).to_solar_date()
    if not FIRST_DAY <= solar < LAST_DAY:
        raise NoSuchLunarDate("range", year, month, day, leap)
    return solar


def observed(year: int, month: int, day: int, *, leap: bool = False) -> date | None:
    """The solar day on which the recurring lunar date (month, day, leap) is kept in lunar
    year `year` (the rules above); None outside the table."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if leap and leap_month(year) != month:
        leap = False  # no such leap month this year: the ordinary month of that number
    day = min(day, month_days(year, month, leap=leap))
    try:
        return to_solar(year, month, day, leap=leap)
    except NoSuchLunarDate:
        return None  # the last lunar year's tail runs past the table


def kept_on(day: date) -> list[LunarDay]:
    """Every recurring lunar date (year 0: any year) kept on the solar `day`: the day's own
    lunar date, and the leap-month and 30th dates `observed` moves onto it."""
    today = to_lunar(day)
    candidates = {
        (today.month, d, leap)
        for d in ({today.day, 30} if today.day == 29 else {today.day})
        for leap in (False, True)
    }
    return sorted(
        (
            LunarDay(0, m, d, leap)
            for m, d, leap in candidates
            if observed(today.year, m, d, leap=leap) == day
        ),
        key=lambda x: (x.day, x.leap),
    )


@lru_cache(maxsize=4096)
def born_on(month: int, day: int, leap: bool, through_year: int) -> tuple[date, ...]:
    """The solar dates of the lunar date (month, day, leap) in every lunar year from the
    table's first to `through_year`: the birthdays, as stored, of those born on it."""
    found = []
    for year in range(FIRST_YEAR, min(through_year, LAST_YEAR) + 1):
        try:
            found.append(to_solar(year, month, day, leap=leap))
        except NoSuchLunarDate:
            continue
    return tuple(found)
