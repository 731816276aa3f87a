"""The "not getting better" rule, through the pure function with explicit times (no clock).

Days count from the injury as `status` shows them: day 1 is the first 24 hours, so day 14 starts
13 days after the injury.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from therapy_timer import wording
from therapy_timer.progress import Stalled, in_reminder, median, stalled

INJURED = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)
D = timedelta(days=1)


def day(n: int, hours: float = 12) -> datetime:
    """A moment on day `n` of recovery (noon of it, by default)."""
    return INJURED + (n - 1) * D + timedelta(hours=hours)


START = day(1, 2)
STILL_SIX = [(day(1, 1), 6), (day(12), 6), (day(13), 6), (day(14, 1), 6)]


def test_nothing_on_day_13_the_notice_from_the_first_moment_of_day_14():
    pains = [(day(1, 1), 6), (day(11), 6), (day(12), 7), (day(13), 6)]
    assert stalled(pains, INJURED, INJURED + 13 * D - timedelta(seconds=1)) is None  # the last second of day 13
    found = stalled(pains, INJURED, INJURED + 13 * D)
    # day 14: the last three days are 12, 13 and 14 (6 and 7: the middle of them is 6.5); day 1 had 6
    assert found == Stalled(day=14, first_day=1, first_median=6.0, recent_median=6.5, recent_scores=2)
    assert not found.needs_score


def test_the_median_of_the_last_three_days_at_the_first_days_is_no_better():
    first = [(day(1, 1), 5)]
    equal = stalled([*first, (day(14), 5), (day(15), 3), (day(16), 6)], INJURED, day(16, 20))
    assert equal is not None and (equal.first_median, equal.recent_median) == (5.0, 5.0)
    assert stalled([*first, (day(14), 7), (day(15), 3), (day(16), 4)], INJURED, day(16, 20)) is None  # 4 < 5


def test_an_even_count_takes_the_mean_of_the_two_middle_scores():
    assert median([4, 6]) == 5.0 and median([6, 1, 4]) == 4.0
    first = [(day(1, 1), 5)]
    assert stalled([*first, (day(15), 4), (day(16), 6)], INJURED, day(16, 20)) is not None  # 5.0: not lower
    assert stalled([*first, (day(15), 4), (day(16), 5)], INJURED, day(16, 20)) is None  # 4.5: lower


def test_the_first_day_is_the_first_with_scores_and_counts_all_of_them():
    pains = [(day(2, 1), 8), (day(2, 5), 4), (day(2, 9), 6), (day(5), 2), (day(15), 6)]
    found = stalled(pains, INJURED, day(16))
    assert found is not None and (found.first_day, found.first_median, found.recent_median) == (2, 6.0, 6.0)


def test_no_score_at_all_or_none_lately_asks_for_one():
    nothing = stalled([], INJURED, day(14))
    assert nothing == Stalled(14, None, None, None, 0) and nothing.needs_score
    old_only = stalled([(day(1, 1), 6), (day(10), 6)], INJURED, day(16))  # none on days 14-16
    assert old_only is not None and old_only.needs_score and old_only.recent_median is None
    assert old_only.first_median == 6.0
    assert "please log one each day (`therapy-timer log pain N`)" in wording.not_better(old_only)


def test_scores_only_from_the_last_three_days_have_nothing_to_compare_with_and_ask_for_more():
    recent_only = stalled([(day(15), 3)], INJURED, day(16))
    assert recent_only is not None and recent_only.needs_score and recent_only.first_median is None
    # two days later the day-15 score is the start to compare with: pain lower since, so no notice
    assert stalled([(day(15), 3), (day(17), 2)], INJURED, day(18)) is None


def test_it_goes_away_when_the_pain_falls_and_comes_back_if_it_rises_again():
    pains = [(day(1, 1), 6), (day(14), 6)]
    assert stalled(pains, INJURED, day(14, 20)) is not None
    falling = [*pains, (day(15), 3), (day(16), 3)]
    assert stalled(falling, INJURED, day(16, 20)) is None  # 3 lately against 6
    rising = [*falling, (day(18), 7), (day(19), 7)]
    assert stalled(rising, INJURED, day(19, 20)) is not None


def test_an_acknowledgement_while_it_is_on_show_ends_it_one_before_does_not():
    still = [*STILL_SIX, (day(17), 6), (day(20), 6)]
    assert stalled(still, INJURED, day(20), acknowledged=[day(5)]) is not None  # acknowledged a sign, back then
    assert stalled(still, INJURED, day(20), acknowledged=[day(15)]) is None
    assert stalled(still, INJURED, day(14, 20), acknowledged=[day(15)]) is not None  # not yet acknowledged then


def test_scores_logged_after_now_are_not_counted():
    pains = [(day(1, 1), 6), (day(14), 6), (day(14, 20), 1)]
    assert stalled(pains, INJURED, day(14, 15)) is not None


def test_the_notice_goes_into_the_first_reminder_of_each_day_it_is_on():
    now = day(15, 10)
    assert in_reminder(STILL_SIX, INJURED, now, [], fired_today=[]) is not None
    assert in_reminder(STILL_SIX, INJURED, now, [], fired_today=[day(15, 8)]) is None  # told at 08:00 today
    # at 08:00 the pain was falling (a 2 yesterday against a 6 on day 1); two 9s logged since make
    # it stall: the next reminder says it, though a reminder fired earlier today
    pains = [(day(1, 1), 6), (day(14), 2), (day(15, 9), 9), (day(15, 9.5), 9)]
    assert in_reminder(pains, INJURED, day(15, 8), [], fired_today=[]) is None
    assert in_reminder(pains, INJURED, now, [], fired_today=[day(15, 8)]) is not None


def test_the_words_compare_the_scores_and_never_say_it_is_fine():
    found = stalled(STILL_SIX, INJURED, day(14, 10))
    assert found is not None
    said = wording.not_better(found)
    assert said.startswith(
        "It is day 14, and your pain is no lower than at the start: 6/10 (the middle of your 3 scores of the "
        "last three days) against 6/10 on day 1."
    )
    assert "doctor or physical therapist" in said and "better" not in said.replace("no better", "")
    one = wording.not_better(found._replace(recent_scores=1))
    assert "6/10 (your score of the last three days) against 6/10 on day 1" in one
    assert wording.not_better_note(found) == (
        " Day 14 and your pain is no lower than at the start: please see a doctor or physical therapist."
    )
