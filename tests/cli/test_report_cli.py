"""The cli-tier tests of `tests/unit/test_report.py` (helpers shared in `tests/fixtures/report.py`)."""

from __future__ import annotations

import csv
import json

import pytest
from freezegun import freeze_time

from tests.fixtures.report import FORMULAS, page_of
from tests.helpers import BERLIN, T0, H, M, deps, tt
from therapy_timer import json_views, recovery_report, report_text, usecases
from therapy_timer.errors import RefusedError


def test_a_real_plan_counts_its_ice_every_two_hours_until_the_quiet_hours(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    usecases.answer(deps(store, T0 + 16 * M), "done", T0 + 16 * M)
    usecases.answer(deps(store, T0 + 2 * H + 5 * M), "skip", T0 + 2 * H + 5 * M)
    before = len(store.events())
    made = usecases.report(deps(store, T0 + 4 * H + 30 * M), None)
    assert len(store.events()) == before  # a report records nothing
    (today,) = made.days
    # ice at 09, 11, 13, 15, 17, 19 and 21 (it ends 21:15, before the quiet hours at 22:00); 13:30 is over
    assert today.by_kind["ice"] == recovery_report.Tally(planned=7, done=1, skipped=1, missed=1, ahead=4)
    assert today.sessions == recovery_report.total(today.by_kind.values())
    assert made.settings[0].lines[:2] == ("cold.days = 2", "cold.minutes = 15")


def test_heat_no_help_and_heat_worse_in_the_same_minute_are_one_switch_back_to_cold_as_in_status(store):
    """Both logged with --at 09:05 during heat: the plan went back to cold once (status lists one),
    so the report counts one, in the day, the total, the page and the chart."""
    injured = T0 - 3 * 24 * H  # the cold phase is over: heat from the start
    usecases.start(deps(store, T0), injured, T0, False, "Europe/Berlin")
    at = T0 + 5 * M
    usecases.switch(deps(store, at), "heat-no-help", at)
    usecases.switch(deps(store, at), "heat-worse", at)
    later = deps(store, T0 + H)
    assert len(json_views.status(usecases.status(later))["switches_back_to_cold"]) == 1
    made = usecases.report(later, None)
    assert [(s.kind, s.changed) for s in made.switches] == [("heat-no-help", True), ("heat-worse", False)]
    assert sum(d.back_to_cold for d in made.days) == 1
    out = report_text.text_lines(made, BERLIN)
    assert (
        "  Tue 24 Nov 09:05  heat did not help" in out
        and "  Tue 24 Nov 09:05  heat made it worse (cold already)" in out
    )
    page = page_of(made)
    assert "Back to cold: 1 time." in page and page.count('class="switch"') == 1


def test_with_no_active_plan_the_latest_ended_one_is_reported(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    usecases.log_entry(deps(store, T0 + H), "pain", T0 + H, score=6)
    usecases.end(deps(store, T0 + 3 * H), "recovered")
    usecases.log_entry(deps(store, T0 + 5 * H), "pain", T0 + 5 * H, score=2)  # after it: no plan, not in it
    usecases.log_entry(deps(store, T0 + 5 * H), "pain", T0 + 2 * H, score=4)  # no plan, but within its time
    made = usecases.report(deps(store, T0 + 24 * H), None)
    assert (made.end_reason, made.until) == ("recovered", T0 + 3 * H)
    assert [p.score for p in made.pain] == [6, 4]
    assert made.days[0].by_kind["ice"] == recovery_report.Tally(planned=2, missed=2)  # 09:00 and 11:00
    with pytest.raises(RefusedError, match="no plan 7"):
        usecases.report(deps(store, T0 + 24 * H), 7)


def test_a_report_with_no_plan_ever_is_refused(store):
    with pytest.raises(RefusedError, match="no plan to report on"):
        usecases.report(deps(store, T0), None)


def test_report_prints_the_days(recorded):
    with freeze_time(T0 + 4 * H):
        out = recorded("report").stdout.splitlines()
        day = recorded.json("report")["days"][0]
    assert (
        out[2] == "Pain: ▆▄  first 7, lowest 4, highest 7, last 4 out of 10, 2 entries."
    )  # 4.9 -> bar 5, 2.8 -> bar 3
    # ice at 09 (done), 11 (missed: over, unanswered), then 13 (starting now), 15, 17, 19, 21 to come
    assert day["by_kind"]["ice"] == {"planned": 7, "done": 1, "skipped": 0, "missed": 1, "ahead": 5}
    (today,) = [line.split()[3:8] for line in out if line.startswith("Tue 24 Nov")]
    assert today == [str(day["sessions"][key]) for key in ("planned", "done", "skipped", "missed", "ahead")]


def test_report_json_has_the_contract_keys(recorded):
    with freeze_time(T0 + 4 * H):
        data = recorded.json("report")
    assert (data["schema"], data["command"], data["plan_id"]) == (1, "report", 1)
    assert set(data) == {"schema", "command", "files", *recovery_report.Report._fields}  # every key, always
    assert data["pain"][1] == {"at": "2026-11-24T12:00:00+01:00", "score": 4, "note": "better after the walk"}
    assert data["days"][0]["date"] == "2026-11-24" and data["days"][0]["pain_first"] == 7
    assert data["ended_at"] is None and data["switches"] == []
    json.dumps(data)


def test_report_without_any_plan_is_one_line_and_exit_1(run):
    result = run("report", code=1)
    assert result.stderr.count("\n") == 1 and "start one with" in result.stderr and result.stdout == ""


def test_report_of_a_plan_that_is_not_there_is_refused(recorded):
    result = recorded("report", "--plan", "9", code=1)
    assert "no plan 9" in result.stderr
    assert "Traceback" not in recorded("report", "--plan", "zero", code=2).stderr


def test_report_csv_defuses_formulas_in_notes_and_symptoms_and_json_stays_exact(run, tmp_path):
    target = tmp_path / "log.csv"
    with freeze_time(T0):
        for text in FORMULAS[:4]:
            run("log", "note", "--", text)
        run("log", "symptom", "--", "=1+1 stiff")
        run("report", "--csv", str(target))
        history = run.json("history")["events"]
    rows = list(csv.DictReader(target.open(newline="", encoding="utf-8")))
    assert [r["text"] for r in rows] == ["'" + t for t in [*FORMULAS[:4], "=1+1 stiff"]]
    assert [e["text"] for e in history] == [*FORMULAS[:4], "=1+1 stiff"]  # the record and --json: exact
    raw = target.read_text(encoding="utf-8")
    assert all(line.startswith('"') for line in raw.splitlines())  # every cell quoted: no reader splits one


def test_report_csv_writes_the_whole_history_to_a_private_file(recorded, tmp_path):
    target = tmp_path / "history.csv"
    with freeze_time(T0 + 4 * H):
        said = recorded("report", "--csv", str(target)).stdout
        history = recorded.json("history")["events"]
    assert said == f"Wrote {target} ({len(history)} events).\n"
    rows = list(csv.DictReader(target.open(newline="", encoding="utf-8")))
    assert [(r["time"], r["kind"], r["score"]) for r in rows] == [
        (e["at"], e["kind"], str(e["score"] or "")) for e in history
    ]
    assert rows[-1]["text"] == "better after the walk" and rows[-1]["time"] == "2026-11-24T12:00:00+01:00"
    assert target.stat().st_mode & 0o777 == 0o600


def test_report_csv_to_stdout_needs_no_plan(run):
    with freeze_time(T0):
        run("log", "pain", "3")
        out = run("report", "--csv", "-").stdout_bytes  # .stdout would turn CRLF into LF
    assert out == (
        b'"time","kind","plan","session","score","minutes","text","source"\r\n'
        b'"2026-11-24T09:00:00+01:00","pain","","","3","","",""\r\n'
    )


@pytest.mark.parametrize(
    ("where", "reason"), [("missing/out.csv", "No such file or directory"), (".", "Is a directory")]
)
def test_report_csv_to_a_place_it_cannot_write_is_one_line_and_exit_2(recorded, tmp_path, where, reason):
    result = recorded("report", "--csv", str(tmp_path / where), code=2)
    assert result.stderr == f"therapy-timer: cannot write {tmp_path / where}: {reason}\n" and result.stdout == ""


def test_report_csv_to_stdout_and_json_together_are_refused(recorded):
    assert "standard output" in recorded("report", "--csv", "-", "--json", code=2).stderr


def test_report_json_names_the_csv_it_wrote(recorded, tmp_path):
    with freeze_time(T0 + 4 * H):
        data = recorded.json("report", "--csv", str(tmp_path / "h.csv"))
    assert data["files"] == [str(tmp_path / "h.csv")] and (tmp_path / "h.csv").exists()
    with freeze_time(T0 + 4 * H):
        assert recorded.json("report")["files"] == []


def test_report_html_writes_the_page_with_a_point_per_pain_score(recorded, tmp_path):
    target = tmp_path / "report.html"
    with freeze_time(T0 + 4 * H):
        said = recorded("report", "--html", str(target)).stdout
    assert said == f"Wrote {target} (1 day, 2 pain scores).\n"
    page = target.read_text(encoding="utf-8")
    assert page.count('class="pain-point"') == 2 and "better after the walk" in page
    assert target.stat().st_mode & 0o777 == 0o600


def test_report_html_to_a_place_it_cannot_write_is_one_line_and_exit_2(recorded, tmp_path):
    result = recorded("report", "--html", str(tmp_path / "no" / "such" / "r.html"), code=2)
    assert result.stderr.startswith("therapy-timer: cannot write ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_report_as_a_real_process_never_shows_a_traceback(tmp_path):
    result = tt(None, "report", "--html", str(tmp_path), code=1)
    assert "no plan to report on" in result.stderr and "Traceback" not in result.stderr


def test_report_html_to_stdout_is_the_page_alone(recorded):
    with freeze_time(T0 + 4 * H):
        out = recorded("report", "--html", "-").stdout
    assert out.startswith("<!DOCTYPE html>") and out.endswith("</html>\n") and out.count('class="pain-point"') == 2
    assert "standard output" in recorded("report", "--html", "-", "--csv", "-", code=2).stderr


def test_an_ended_plan_is_reported_in_its_own_zone_wherever_the_report_is_made(recorded, monkeypatch):
    with freeze_time(T0 + 5 * H):
        recorded("stop")
    monkeypatch.setenv("TZ", "America/New_York")  # travelled after the plan: 6 hours behind Berlin
    with freeze_time(T0 + 30 * H):
        data = recorded.json("report")
        out = recorded("report").stdout.splitlines()
    assert (data["zone"], data["started_at"], data["ended_at"]) == (
        "Europe/Berlin", "2026-11-24T09:00:00+01:00", "2026-11-24T14:00:00+01:00",
    )  # fmt: skip
    assert out[1] == "Plan from Tue 24 Nov 09:00 to Tue 24 Nov 14:00 (stopped)."
