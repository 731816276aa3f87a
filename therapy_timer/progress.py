"""Whether the back is getting better: the rule behind the "see a doctor or physical therapist" notice.

Pure (no clock, no I/O). The protocol facts: pain that is no better after one to two weeks of
self-care needs a doctor's or physical therapist's look. The app cannot judge a back; it can only
compare the pain scores it was given:

- from day `FROM_DAY` of recovery (days counted from the injury, as `status` shows them: day 1 is
  the first 24 hours), the scores of the last `RECENT_DAYS` days (today and the two before) are
  compared with those of the first day that has any, before them; when the median of the recent
  ones is at or above the median of the first day's, the notice is on;
- when there is nothing to compare (no score in the last three days, or none before them), the
  notice is on too and asks for a score: silence would read as "getting better";
- it goes away when the pain falls below the first day's, and for good after an acknowledgement
  (`signs ack`) made while it was on show (one made before it applied acknowledges something else).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from therapy_timer.named_tuple import NamedTuple
from therapy_timer.protocol import Plan, day_of_recovery

FROM_DAY = 14
"""Two weeks: day 14 is the first day the notice can show."""
RECENT_DAYS = 3


def median(scores: Sequence[int]) -> float:
    """The middle score (the mean of the two middle ones for an even count). Not `statistics.median`:
    importing `statistics` costs `status` about 8 ms of start-up (fractions, decimal, random)."""
    ordered = sorted(scores)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class Stalled(NamedTuple):
    """The notice on show: no lower than at the start, or nothing to compare (`needs_score`)."""

    day: int  # the day of recovery now
    first_day: int | None  # the first day with scores, before the recent ones (None: no such day)
    first_median: float | None  # the median of that day's scores
    recent_median: float | None  # the median of the scores of the last three days (None: none logged)
    recent_scores: int  # how many scores that median is of

    @property
    def needs_score(self) -> bool:
        """Nothing to compare: the notice asks for pain scores instead of comparing them."""
        return self.first_median is None or self.recent_median is None


def stalled(
    pains: Sequence[tuple[datetime, int]],
    injured_at: datetime,
    now: datetime,
    acknowledged: Sequence[datetime] = (),
) -> Stalled | None:
    """The notice at `now`, or None: before day 14, while the pain is falling, or once acknowledged.

    `pains`: every (time, score) logged for the injury, in any order; `acknowledged`: the times of
    the acknowledgements (`signs ack`).
    """
    if any(_compare(pains, injured_at, ack) is not None for ack in acknowledged if ack <= now):
        return None
    return _compare(pains, injured_at, now)


def _compare(pains: Sequence[tuple[datetime, int]], injured_at: datetime, now: datetime) -> Stalled | None:
    plan = Plan(injured_at, injured_at)
    today = day_of_recovery(plan, now)
    if today < FROM_DAY:
        return None
    by_day: dict[int, list[int]] = {}
    for at, score in sorted(pains):
        if at <= now:
            by_day.setdefault(day_of_recovery(plan, at), []).append(score)
    recent = [score for day, scores in by_day.items() if day > today - RECENT_DAYS for score in scores]
    earlier = [day for day in by_day if day <= today - RECENT_DAYS]
    first_day = min(earlier, default=None)
    first = median(by_day[first_day]) if first_day is not None else None
    latest = median(recent) if recent else None
    if first is not None and latest is not None and latest < first:
        return None  # falling: no notice
    return Stalled(today, first_day, first, latest, len(recent))


def in_reminder(
    pains: Sequence[tuple[datetime, int]],
    injured_at: datetime,
    now: datetime,
    acknowledged: Sequence[datetime],
    fired_today: Sequence[datetime],
) -> Stalled | None:
    """The notice for the reminder fired at `now`: once a day, in the first reminder of the day
    (`fired_today`: when that day's earlier reminders fired) fired while it is on."""
    notice = stalled(pains, injured_at, now, acknowledged)
    if notice is None or any(stalled(pains, injured_at, t, acknowledged) for t in fired_today if t < now):
        return None
    return notice
