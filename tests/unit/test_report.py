"""The recovery report: the pure counts on a hand-made plan (every number below is worked out by
hand from the scenario, not copied from the output), its renderers, and the command."""

from __future__ import annotations

import csv
import io

import pytest

from tests.fixtures.report import FORMULAS, LOG, MON, NOW, PLAN, SETTINGS, TIMELINE, TUE, logged, page_of
from tests.helpers import BERLIN, H, M, local
from therapy_timer import recovery_report, report_text, signs
from therapy_timer.protocol import Plan, Switch, Timeline
from therapy_timer.store import LoggedEvent, StoredPlan


def test_each_day_counts_planned_done_skipped_missed_and_to_come(made):
    monday, tuesday = made.days
    assert monday.date.isoformat() == "2026-11-23" and tuesday.date.isoformat() == "2026-11-24"
    assert monday.sessions == recovery_report.Tally(planned=4, done=2, skipped=1, missed=1, ahead=0)
    assert monday.by_kind["ice"] == recovery_report.Tally(planned=3, done=2, skipped=1)
    assert monday.by_kind["walk"] == recovery_report.Tally(planned=1, missed=1)
    assert tuesday.sessions == recovery_report.Tally(planned=3, done=1, ahead=2)
    assert tuesday.by_kind["heat"] == recovery_report.Tally(planned=1, done=1)
    assert made.totals == recovery_report.Tally(planned=7, done=3, skipped=1, missed=1, ahead=2)


def test_each_day_has_its_pain_first_lowest_highest_and_last(made):
    monday, tuesday = made.days
    assert (monday.pain_entries, monday.pain_first, monday.pain_lowest, monday.pain_highest, monday.pain_last) == (
        3, 7, 5, 8, 5,
    )  # fmt: skip
    assert (tuesday.pain_entries, tuesday.pain_first, tuesday.pain_lowest, tuesday.pain_last) == (1, 6, 6, 6)
    assert [p.score for p in made.pain] == [7, 8, 5, 6]


def test_only_a_switch_that_changed_the_plan_counts_as_back_to_cold(made):
    assert [d.back_to_cold for d in made.days] == [0, 1]
    assert [(s.kind, s.changed) for s in made.switches] == [("heat-no-help", False), ("heat-worse", True)]


def test_symptoms_are_kept_with_the_listed_signs_they_match(made):
    assert [d.signs for d in made.days] == [1, 0]
    tingling, stiff = made.symptoms
    assert tingling.text == "tingling down my left leg"
    assert signs.BY_NAME["nerve"].label in tingling.signs and signs.BY_NAME["radiating"].label in tingling.signs
    assert stiff.signs == ()
    assert [n.text for n in made.notes] == ["sharp when I stand up", "slept on the floor <b>badly</b>"]


def test_a_sign_picked_by_name_shows_the_words_without_its_mark():
    found = recovery_report.symptom(MON, "[sign: fever] fever and chills")
    assert found.text == "fever and chills" and found.signs == ("fever or chills along with the back pain",)


def test_phases_are_cut_at_the_end_of_the_report(made):
    assert [(p.mode, p.start.astimezone(BERLIN).hour, p.end) for p in made.phases] == [
        ("cold", 9, TUE + 9 * H),
        ("heat", 9, TUE + 9 * H + 5 * M),
        ("cold", 9, NOW),
    ]


def test_an_entry_logged_before_the_plan_began_adds_its_day():
    earlier = logged(MON - 4 * H, "pain", 9)  # Sunday 20:00
    made = recovery_report.build(PLAN, TIMELINE, [earlier, *LOG], SETTINGS, NOW, BERLIN)
    assert [d.date.day for d in made.days] == [22, 23, 24]
    assert made.days[0].sessions == recovery_report.Tally() and made.days[0].pain_first == 9


def test_an_ended_plan_is_reported_up_to_its_end():
    ended = PLAN._replace(plan=PLAN.plan._replace(ended_at=TUE + 9 * H + 25 * M), end_reason="recovered")
    made = recovery_report.build(ended, TIMELINE, LOG, SETTINGS, NOW + 48 * H, BERLIN)
    assert made.until == TUE + 9 * H + 25 * M and len(made.days) == 2
    # the ice from 09:20 was still running when the plan ended; the walk at 12:00 came after it
    assert made.days[1].sessions == recovery_report.Tally(planned=3, done=1, ahead=2)


@pytest.mark.parametrize(
    ("scores", "line"),
    [
        ([0, 5, 10], "▁▅█"),  # 0 and 10 are the ends of the scale; 5 * 7 / 10 = 3.5 rounds up to bar 4
        ([7, 8, 5, 6], "▆▇▅▅"),  # bars 4.9 -> 5, 5.6 -> 6, 3.5 -> 4, 4.2 -> 4
        ([], ""),
        ([0, 10] * 60, "▅" * 60),  # 120 scores: 60 pairs, each averaging 5
    ],
)
def test_the_pain_trend_is_a_sparkline_on_a_fixed_scale(scores, line):
    assert recovery_report.sparkline(scores) == line


def test_settings_list_all_at_first_then_only_what_changed():
    recorded = [
        (MON, "cold.minutes = 15\nheat.minutes = 15"),
        (MON + H, "cold.minutes = 12\nheat.minutes = 15"),
        (MON + 5 * H, "cold.minutes = 12\nheat.minutes = 10"),  # after the end of the report
    ]
    changes = recovery_report.settings_changes(recorded, MON + 2 * H)
    assert changes == [
        recovery_report.SettingsChange(MON, ("cold.minutes = 15", "heat.minutes = 15")),
        recovery_report.SettingsChange(MON + H, ("cold.minutes = 12",)),
    ]


# The text -----------------------------------------------------------------------------------------


def test_the_text_has_one_line_per_day_with_the_numbers_in_their_columns(made):
    out = report_text.text_lines(made, BERLIN)
    assert out[:2] == ["Recovery report, plan 1: injured Mon 23 Nov 08:00.", "Plan running since Mon 23 Nov 09:00."]
    assert out[2] == "Pain: ▆▇▅▅  first 7, lowest 5, highest 8, last 6 out of 10, 4 entries."  # the 8 is not hidden
    rows = {line[:10].strip(): line[10:].split() for line in out if line.startswith(("Mon 23", "Tue 24", "all days"))}
    # planned done skipped missed to-come | pain first low high last | back to cold | signs
    assert rows["Mon 23 Nov"] == ["4", "2", "1", "1", "0", "7", "5", "8", "5", "0", "1"]
    assert rows["Tue 24 Nov"] == ["3", "1", "0", "0", "2", "6", "6", "6", "6", "1", "0"]
    assert rows["all days"] == ["7", "3", "1", "1", "2", "7", "5", "8", "6", "1", "1"]
    assert "  Tue 24 Nov 09:05  heat made it worse" in out
    assert "  Mon 23 Nov 14:00  heat did not help (cold already)" in out
    assert "  Mon 23 Nov 12:00  (with a pain score) sharp when I stand up" in out
    tingling = out.index("  Mon 23 Nov 15:00  tingling down my left leg")
    assert out[tingling + 1 : tingling + 3] == [
        " " * 20 + "matches a listed sign: pain that runs down a leg, below the knee",
        " " * 20 + f"matches a listed sign: {signs.BY_NAME['nerve'].label}",
    ]
    assert out[tingling + 3] == "  Tue 24 Nov 08:30  a bit stiff"  # matches none: no line for it


@pytest.mark.parametrize(
    ("scores", "said"),
    [
        ([5], "5 out of 10, 1 entry"),  # not "5 to 5", not "first 5, lowest 5, ..."
        ([4, 4, 4], "4 out of 10 each time, 3 entries"),
        ([6, 8, 3, 5], "first 6, lowest 3, highest 8, last 5 out of 10, 4 entries"),
    ],
)
def test_the_pain_line_says_first_lowest_highest_and_last_or_one_value_once(scores, said):
    assert report_text.pain_scores(scores) == said


def test_the_page_counts_one_session_and_one_score_in_the_singular():
    one = recovery_report.Report(
        1, MON, MON, None, None, NOW, NOW, "Europe/Berlin", [], recovery_report.Tally(planned=1, done=1),
        [recovery_report.Pain(MON + H, 5, None)], "", [], [], [], [], [],
    )  # fmt: skip
    from therapy_timer import report_html

    said = report_html.summary(one)
    assert said.startswith("1 session planned: 1 done, 0 skipped, 0 missed. Pain was 5 out of 10 (1 score).")


def test_the_text_shows_control_characters_escaped():
    noisy = [*LOG, logged(TUE + 9 * H, "note", text="\x1b]0;owned\x07")]
    out = report_text.text_lines(recovery_report.build(PLAN, TIMELINE, noisy, SETTINGS, NOW, BERLIN), BERLIN)
    assert "\x1b" not in "\n".join(out) and "  Tue 24 Nov 09:00  \\x1b]0;owned\\x07" in out


def test_the_text_puts_the_later_lines_of_a_note_under_its_first():
    noted = [*LOG, logged(TUE + 9 * H, "note", text="first line\nsecond line")]
    out = report_text.text_lines(recovery_report.build(PLAN, TIMELINE, noted, SETTINGS, NOW, BERLIN), BERLIN)
    at = out.index("  Tue 24 Nov 09:00  first line\n                    second line")
    assert at > out.index("Notes:")


def test_every_line_of_the_text_table_fits_80_columns(made):
    out = report_text.text_lines(made, BERLIN)
    table = out[
        out.index("") + 1 : out.index("cold: switches back to cold; signs: symptoms that match a listed warning sign.")
    ]
    assert len(table) == 5 and max(len(line) for line in table) == 80  # 2 header lines, 2 days, all days


# Through the store and the real protocol -------------------------------------------------------------


# CSV -------------------------------------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_event_in_local_time_with_the_text_as_recorded():
    events = [
        LoggedEvent(1, 1, local(2026, 11, 24, 9, 0), "pain", 7, 'stiff, "sharp"\nat night', None, None, NOW, "command"),
        LoggedEvent(2, None, local(2026, 7, 1, 12, 0), "note", None, "=1+1", None, None, NOW, None),
        LoggedEvent(
            3, 1, local(2026, 11, 24, 9, 5), "snooze", None, "k", "ice@2026-11-24T08:00:00Z", 10.0, NOW, "notification"
        ),
        LoggedEvent(4, 1, local(2026, 11, 24, 9, 6), "snooze", None, None, None, 12.5, NOW, "command"),
    ]
    text = report_text.csv_text(events, BERLIN)
    assert text.startswith('"time","kind","plan","session","score","minutes","text","source"\r\n')
    assert list(csv.reader(io.StringIO(text))) == [
        ["time", "kind", "plan", "session", "score", "minutes", "text", "source"],
        ["2026-11-24T09:00:00+01:00", "pain", "1", "", "7", "", 'stiff, "sharp"\nat night', "command"],
        ["2026-07-01T12:00:00+02:00", "note", "", "", "", "", "'=1+1", ""],  # summer time: +02:00; a formula defused
        ["2026-11-24T09:05:00+01:00", "snooze", "1", "ice@2026-11-24T08:00:00Z", "", "10", "k", "notification"],
        ["2026-11-24T09:06:00+01:00", "snooze", "1", "", "", "12.5", "", "command"],
    ]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_free_text_cell_a_spreadsheet_would_read_as_a_formula_starts_with_a_single_quote(text):
    assert report_text.defused(text) == "'" + text


@pytest.mark.parametrize("text", ["better after the walk", "well-being: ok", "e-mail the physio", "3 - 4", ""])
def test_free_text_that_is_no_formula_is_left_as_it_is(text):
    assert report_text.defused(text) == text


# HTML ------------------------------------------------------------------------------------------------


def test_the_chart_has_one_point_per_pain_score_where_the_time_and_score_put_it(made):
    page = page_of(made)
    assert page.count('class="pain-point"') == 4
    # The chart runs from Mon 00:00 to Wed 00:00 (172,800 s) over x = 34..712 (678 units), and
    # pain 0..10 over y = 266..40. Mon 09:10 is 33,000 s in: 34 + 678 * 33000 / 172800 = 163.48;
    # pain 7: 266 - 226 * 0.7 = 107.8.
    assert '<circle class="pain-point" cx="163.5" cy="107.8"' in page
    # Pain 6 on Tue 08:00 (115,200 s): x = 34 + 452 = 486.0; y = 266 - 135.6 = 130.4
    assert '<circle class="pain-point" cx="486.0" cy="130.4"' in page


def test_the_chart_shades_each_phase_and_marks_only_real_switches(made):
    page = page_of(made)
    # cold from Mon 09:00 (x = 34 + 127.1 = 161.1) to Tue 09:00 (x = 34 + 466.1 = 500.1)
    assert '<rect class="phase cold" x="161.1" y="40" width="339.0"' in page
    assert page.count('<rect class="phase heat"') == 1 and page.count('<rect class="phase cold"') == 2
    assert page.count('<line class="switch"') == 1  # the heat-no-help in a cold phase changed nothing
    assert 'x1="501.3"' in page  # Tue 09:05 is 119,100 s in: 34 + 467.3
    assert "back to cold: heat made it worse</text>" in page
    assert "cold phase (ice)" in page and "moist heat phase" in page  # the legend


def test_the_table_has_a_row_per_day_with_the_counts(made):
    page = page_of(made)
    monday = page[page.index('<tr><td class="day">Mon 23 Nov</td>') :].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in monday.split("<td")[2:]]
    cells = [c.split(">", 1)[1] for c in cells]
    # ice 2 of 3, no heat, walks 0 of 1 | planned done skipped missed to-come | pain | back to cold | signs
    assert cells == ["2/3", "&ndash;", "0/1", "4", "2", "1", "1", "0", "7", "5", "8", "5", "0", "1"]


def test_the_page_escapes_what_people_typed_and_needs_nothing_from_the_network(made):
    typed = [*LOG, logged(TUE + 9 * H, "symptom", text="<script>alert('x')</script> & <img src=x>")]
    page = page_of(recovery_report.build(PLAN, TIMELINE, typed, SETTINGS, NOW, BERLIN))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;img src=x&gt;" in page
    assert "slept on the floor &lt;b&gt;badly&lt;/b&gt;" in page
    assert page.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0
    for fetches in ("<link", "src=", "@import", "url(", "<script"):
        assert fetches not in page.replace("&lt;img src=x&gt;", "")


def test_the_page_has_the_settings_the_signs_and_the_advice_line(made):
    from therapy_timer import wording

    page = page_of(made)
    assert "In force from the start (Mon 23 Nov 09:00):</p>\n<pre>cold.minutes = 15\nheat.minutes = 15</pre>" in page
    changed = [*SETTINGS, (TUE, "cold.minutes = 12.0\nheat.minutes = 15\nwalk.minutes = 7.5")]
    page = page_of(recovery_report.build(PLAN, TIMELINE, LOG, changed, NOW, BERLIN))
    assert "<p>Changed Tue 24 Nov 00:00:</p>\n<pre>cold.minutes = 12\nwalk.minutes = 7.5</pre>" in page
    assert signs.BY_NAME["nerve"].label in page and "tingling down my left leg" in page
    assert wording.NOT_ADVICE in page and "@page { size: A4" in page
    assert "7 sessions planned: 3 done, 1 skipped, 1 missed, 2 still to come." in page
    assert "Pain went from 7 to 6 out of 10 (lowest 5, highest 8, 4 scores). Back to cold: 1 time." in page


def test_a_plan_with_no_pain_yet_says_so_in_the_chart():
    quiet = [e for e in LOG if e.kind != "pain"]
    page = page_of(recovery_report.build(PLAN, TIMELINE, quiet, SETTINGS, NOW, BERLIN))
    assert 'class="pain-point"' not in page and "No pain scores logged" in page


def test_the_chart_gives_the_day_the_clocks_go_back_its_25_hours():
    sat = local(2026, 10, 24, 0, 0)  # Berlin leaves summer time on Sunday 25 October 2026, at 03:00
    plan = StoredPlan(2, Plan(sat + 9 * H, sat + 9 * H, sat + 58 * H), "stopped", "Europe/Berlin")
    pain = [LoggedEvent(1, 2, local(2026, 10, 26, 0, 0), "pain", 4, None, None, None, sat, None)]  # Monday 00:00
    made = recovery_report.build(plan, Timeline([], [], []), pain, SETTINGS, sat + 60 * H, BERLIN)
    page = page_of(made)
    assert [d.date.day for d in made.days] == [24, 25, 26]
    # 24 + 25 + 24 = 73 hours over 678 units: Sunday begins at 34 + 678 * 24 / 73 = 256.9 and
    # Monday at 34 + 678 * 49 / 73 = 489.1, where Monday's first pain score sits too
    midnights = [part.split('"')[0] for part in page.split('<line class="midnight" x1="')[1:]]
    assert midnights == ["34.0", "256.9", "489.1"]
    assert '<circle class="pain-point" cx="489.1"' in page


def test_switches_too_close_for_their_words_are_numbered_on_the_chart_and_in_the_list():
    second = TUE + 9 * H + 20 * M  # 15 minutes after the first: 678 * 900 / 172800 = 3.5 units apart
    timeline = TIMELINE._replace(switches=[*TIMELINE.switches, Switch(second, "heat-no-help")])
    page = page_of(recovery_report.build(PLAN, timeline, [*LOG, logged(second, "heat-no-help")], SETTINGS, NOW, BERLIN))
    labels = [part.split(">")[1].split("<")[0] for part in page.split('<text class="switch-label"')[1:]]
    assert labels == ["1", "2"]
    assert "<li>1. Tue 24 Nov 09:05: heat made it worse; back to cold</li>" in page
    assert "<li>2. Tue 24 Nov 09:20: heat did not help; back to cold</li>" in page
    assert "<li>Mon 23 Nov 14:00: heat did not help (cold was in force already; nothing changed)</li>" in page


def test_recovered_with_the_same_pain_first_and_last_does_not_say_from_5_to_5():
    from therapy_timer import terminal_text
    from therapy_timer.usecases import EndResult

    same = EndResult(1, NOW, "recovered", 3.0, {"ice": 1, "heat": 0, "walk": 0}, 0, 5, 5)
    said = terminal_text.recovered(same)
    assert "Pain was 5/10 when you first logged it and when you last did." in said
    assert not any("from 5/10 to 5/10" in line for line in said)
    assert "Pain went from 7/10 to 2/10." in terminal_text.recovered(same._replace(pain_first=7, pain_last=2))


def test_warning_sign_checks_are_counted_per_day_and_listed_with_where_they_came_from():
    checked = [
        *LOG,
        logged(MON + 9 * H, "check", text="none"),  # the start screening, typed
        logged(TUE + 7 * H + 30 * M, "check", text="fever saddle")._replace(source="notification"),
    ]
    made = recovery_report.build(PLAN, TIMELINE, sorted(checked, key=lambda e: e.at), SETTINGS, NOW, BERLIN)
    assert [d.checks for d in made.days] == [1, 1]
    first, second = made.checks
    assert (first.answer, first.signs, first.source) == ("none", (), "command")
    assert second.signs == (signs.BY_NAME["fever"].label, signs.BY_NAME["saddle"].label)
    out = report_text.text_lines(made, BERLIN)
    at = out.index("Warning-sign checks answered: 2:")
    assert out[at + 1] == "  Mon 23 Nov 09:00  none of the warning signs (typed)"
    assert out[at + 2].startswith("  Tue 24 Nov 07:30  fever or chills") and out[at + 2].endswith(
        "(from the daily check-in)"
    )
    from therapy_timer import json_views, report_html

    assert "none of the warning signs (typed)" in report_html.page(made, BERLIN)
    as_json = json_views.result("report", made, BERLIN)
    assert [d["checks"] for d in as_json["days"]] == [1, 1] and as_json["checks"][1]["answer"] == "fever saddle"
    assert (
        report_text.text_lines(recovery_report.build(PLAN, TIMELINE, LOG, SETTINGS, NOW, BERLIN), BERLIN).count(
            "Warning-sign checks answered: 0."
        )
        == 1
    )
