"""Issue 11's targets as `python -m bench` checks them (bench.targets): each is met by a
run that reaches it, missed by one that falls short by a little, and left "not measured"
when its step did not run."""

import copy

import pytest

from bench import targets


def _page(name, group, *, p50=2.0, p95=9.0, ratio=0.3):
    c = {"p50_ms": p50, "p95_ms": p95, "rps": 100.0}
    return {"name": name, "path": "/", "group": group, "c1": c, "c8": c, "ratio_c8_to_login": ratio}


def _run():
    """A run that meets every target, each by a small margin."""
    return {
        "stamp": {"now": "2026-12-04T03:21:00+00:00", "seconds": 14.9 * 60},
        "pages": {
            "baselines": {},
            "pages": [
                _page("Today", "staff", p95=99.9, ratio=0.25),
                _page("board", "staff"),
                _page("month report", "report", p95=299.9),
                _page("admin: orders", "admin", p95=299.9),
                _page("board, poll unchanged", "poll", p50=4.9),
                _page("tablet, poll unchanged", "poll", p50=2.4),
            ],
        },
        "jobs": {
            "jobs": [
                {"task": "studio.tasks.heartbeat", "runs_s": [0.01, 0.01, 0.01]},
                {"task": "followups.tasks.run_care_rules", "runs_s": [1.99, 0.4, 0.4]},
            ],
            "dispatch": {"per_second": 50.0},
        },
        "busy": {"errors": 0, "invariants_broken": []},
    }


def _by_name(checked):
    return {t.name: t for t in checked}


def test_a_run_that_reaches_every_target_meets_them_all():
    checked = targets.check(**_run())
    assert [t.name for t in checked if t.met is not True] == []


@pytest.mark.parametrize(
    ("target", "miss"),
    [
        ("dataset built", lambda r: r["stamp"].update(seconds=15 * 60)),
        (
            "staff pages, 8 clients",
            lambda r: r["pages"]["pages"][1].update(ratio_c8_to_login=0.249),
        ),
        ("staff pages, 1 client", lambda r: r["pages"]["pages"][1]["c1"].update(p95_ms=100.0)),
        ("month report and CSV", lambda r: r["pages"]["pages"][2]["c1"].update(p95_ms=300.0)),
        ("admin lists and searches", lambda r: r["pages"]["pages"][3]["c1"].update(p95_ms=300.0)),
        ("polls answered 304", lambda r: r["pages"]["pages"][5]["c1"].update(p50_ms=5.0)),
        ("polls answered 304", lambda r: r["pages"]["pages"][5]["c1"].update(p50_ms=None)),
        ("care rules", lambda r: r["jobs"]["jobs"][1].update(runs_s=[0.4, 0.4, 2.0])),
        ("outbox", lambda r: r["jobs"]["dispatch"].update(per_second=49.9)),
        ("busy day", lambda r: r["busy"].update(errors=1)),
        ("busy day", lambda r: r["busy"].update(invariants_broken=["a double booking"])),
    ],
)
def test_falling_short_of_one_target_misses_that_one_only(target, miss):
    run = copy.deepcopy(_run())
    miss(run)
    checked = _by_name(targets.check(**run))
    assert checked[target].met is False
    assert [t.name for t in checked.values() if t.met is not True] == [target]


def test_the_pages_that_missed_are_named():
    run = copy.deepcopy(_run())
    run["pages"]["pages"][4]["c1"]["p50_ms"] = 6.9
    checked = _by_name(targets.check(**run))
    assert checked["polls answered 304"].misses == ["board, poll unchanged"]
    assert checked["polls answered 304"].measured == "highest 6.9 ms (2 pages)"


def test_a_step_that_did_not_run_leaves_its_targets_unmeasured():
    run = _run()
    checked = _by_name(targets.check(pages=run["pages"]))
    for name in ("dataset built", "care rules", "outbox", "busy day"):
        assert checked[name].met is None
        assert checked[name].measured == "not measured in this run"
    assert checked["staff pages, 8 clients"].met is True


def test_the_report_says_whether_every_measured_target_was_met(capsys):
    said = []
    run = copy.deepcopy(_run())
    assert targets.report(targets.check(pages=run["pages"]), said.append) is True
    run["jobs"]["dispatch"]["per_second"] = 12.0
    assert targets.report(targets.check(**run), said.append) is False
    assert said == ["Every target measured was met", "Missed: outbox"]
    assert "outbox" in capsys.readouterr().out
