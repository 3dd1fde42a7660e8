"""Watchlists: validation errors that name file and key, matching, quiet hours, digests, reminders.

Every time-dependent function takes ``now``; the tests pass fixed instants instead of a clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.alerts.message import AlertEvent
from tracker.alerts.schedule import reminder_schedule
from tracker.alerts.watchlists import (
    date_bounds,
    hold_until,
    in_quiet_hours,
    load_watchlists,
    next_digest_at,
    quiet_until,
)
from tracker.errors import RuleError

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2025, 9, 1, 4, 0, tzinfo=UTC)  # 12:00 in Hong Kong

BASE = """
id = "w"
title = "Test list"
[match]
jurisdictions = ["HK", "CN"]
types = ["ban", "ordinance", "license_pause"]
"""


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def event(**kw):
    base = dict(
        event_id=1, type="ordinance", jurisdiction="HK", date="2025-08-01", precision="day", qualifier=None,
        evidence="The Stablecoins Ordinance takes effect on 1 August.", actor="HKMA", subject="stablecoins",
        confidence=0.8, sources=(("HKMA", "https://www.hkma.gov.hk/x"),), first_seen=utc(2025, 8, 20),
    )  # fmt: skip
    base.update(kw)
    return AlertEvent(**base)


def write(tmp_path, text, name="list.toml"):
    d = tmp_path / "watchlists"
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d


def one(tmp_path, text):
    (wl,) = load_watchlists(write(tmp_path, text))
    return wl


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "text, key, fragment",
    [
        (BASE + 'types2 = ["ban"]\n', "match.types2", "unknown key"),
        ('colour = "red"\n' + BASE, "colour", "unknown key"),
        (BASE.replace('"license_pause"', '"bann"'), "match.types[2]", "unknown event type 'bann'"),
        (BASE + 'min_confidence = "high"\n', "match.min_confidence", "expected a number, got str 'high'"),
        (BASE + "min_confidence = 1.5\n", "match.min_confidence", "between 0 and 1"),
        (BASE + "max_age_days = true\n", "match.max_age_days", "expected an integer"),
        (BASE + "max_age_days = 1.5\n", "match.max_age_days", "expected an integer"),
        (BASE + 'keywords_any = "crypto"\n', "match.keywords_any", "expected a list of strings"),
        (BASE + 'keywords_all = ["ok", 3]\n', "match.keywords_all[1]", "expected a string"),
        (BASE.replace('"CN"', '"cn"'), "match.jurisdictions[1]", "'cn'"),
        (BASE + '[digest]\nevery = "weekly"\n', "digest.every", "'weekly'"),
        (BASE + '[digest]\nat = "9am"\n', "digest.at", "HH:MM"),
        (BASE + '[digest]\ntimezone = "Asia/Hongkong_Island"\n', "digest.timezone", "unknown time zone"),
        (
            BASE + '[quiet_hours]\nstart = "22:00"\nend = "07:00"\ntimezone = "Mars/Base"\n',
            "quiet_hours.timezone",
            "unknown time zone",
        ),
        (BASE + '[quiet_hours]\nstart = "22:00"\n', "quiet_hours.end", "required"),
        (BASE + '[quiet_hours]\nstart = "22:00"\nend = "22:00"\n', "quiet_hours.end", "differ"),
        (
            BASE + '[quiet_hours]\nstart = "22:00"\nend = "07:00"\nurgent_types = ["bans"]\n',
            "quiet_hours.urgent_types[0]",
            "unknown event type",
        ),
        (BASE + "[reminders]\ndays_before = [7, -1]\n", "reminders.days_before[1]", "between 0 and 366"),
        (
            BASE + '[destination]\nchannel_env = "slack channel"\n',
            "destination.channel_env",
            "not an environment variable name",
        ),
        (BASE + '[destination]\nwebhook = "https://hooks.slack.com/x"\n', "destination.webhook", "unknown key"),
        (BASE.replace('id = "w"', 'id = "W List"'), "id", "lowercase"),
        (BASE.replace('title = "Test list"', ""), "title", "required"),
        ('match = "everything"\n' + BASE.replace("[match]\n", "[x]\n"), "match", "expected a table"),
    ],
)
def test_invalid_files_name_file_and_key(tmp_path, text, key, fragment):
    d = write(tmp_path, text, name="hk-cn.toml")
    with pytest.raises(RuleError) as info:
        load_watchlists(d)
    msg = str(info.value)
    assert "\n" not in msg
    assert "hk-cn.toml: " + key + ": " in msg, msg
    assert fragment in msg, msg


def test_unknown_type_lists_the_known_ones(tmp_path):
    with pytest.raises(RuleError, match=r"known: ban, ordinance, license_grant"):
        load_watchlists(write(tmp_path, BASE.replace('"ban"', '"bann"')))


def test_invalid_toml_and_duplicate_ids(tmp_path):
    d = write(tmp_path, "id = \n", name="broken.toml")
    with pytest.raises(RuleError, match=r"broken\.toml: invalid TOML"):
        load_watchlists(d)
    (d / "broken.toml").unlink()
    write(tmp_path, BASE, name="a.toml")
    write(tmp_path, BASE, name="b.toml")
    with pytest.raises(RuleError, match=r"b\.toml: id: duplicate watchlist id 'w' \(also in .*a\.toml\)"):
        load_watchlists(d)


def test_missing_directory_is_no_watchlists(tmp_path):
    assert load_watchlists(tmp_path / "nope") == []


def test_sample_watchlist_loads_and_matches_the_sample_kinds_of_events():
    (wl,) = load_watchlists(REPO / "rules" / "watchlists")
    assert wl.id == "hk-cn-digital-assets"
    assert wl.destination.channel_from({"SLACK_CHANNEL": "#reg"}) == "#reg"
    assert wl.destination.channel_from({}) is None
    now = utc(2025, 9, 1)
    assert wl.matches(event(), now)
    assert wl.matches(event(type="license_pause", jurisdiction="CN", date=None), now)
    assert not wl.matches(event(type="ban", jurisdiction="CN", date="2021", qualifier="since"), now)
    assert not wl.matches(event(jurisdiction="US"), now)


# ---------------------------------------------------------------- matching


def test_jurisdiction_type_and_confidence(tmp_path):
    wl = one(tmp_path, BASE + "min_confidence = 0.5\n")
    assert wl.matches(event(), NOW)
    assert not wl.matches(event(jurisdiction="SG"), NOW)
    assert not wl.matches(event(type="launch"), NOW)
    assert not wl.matches(event(confidence=0.49), NOW)
    assert wl.matches(event(confidence=0.5), NOW)
    assert "jurisdiction SG" in wl.mismatch(event(jurisdiction="SG"), NOW)


def test_keywords_any_all_none(tmp_path):
    wl = one(
        tmp_path,
        BASE + 'keywords_any = ["Stablecoin", "virtual asset"]\nkeywords_all = ["ordinance"]\n'
        'keywords_none = ["draft  bill"]\n',
    )
    assert wl.matches(event(), NOW)  # "Stablecoins" contains "stablecoin", case-insensitive
    assert wl.matches(event(evidence="The VIRTUAL\nASSET ordinance passed.", subject=None), NOW)
    assert not wl.matches(event(evidence="The ordinance on parking.", subject="cars"), NOW)  # no "any"
    assert not wl.matches(event(evidence="Stablecoin rules issued."), NOW)  # "all" missing
    assert not wl.matches(event(evidence="The stablecoin ordinance DRAFT bill was tabled."), NOW)  # "none"
    # subject and actor are searched too
    assert wl.matches(event(evidence="The ordinance was gazetted.", subject="virtual asset dealers"), NOW)


def test_actors(tmp_path):
    wl = one(tmp_path, BASE + 'actors = ["SFC", "Securities and Futures Commission"]\n')
    assert wl.matches(event(actor="The SFC"), NOW)
    assert wl.matches(event(actor="securities and futures commission"), NOW)
    assert not wl.matches(event(actor="HKMA"), NOW)
    assert not wl.matches(event(actor=None), NOW)


def test_statuses(tmp_path):
    wl = one(tmp_path, BASE + 'statuses = ["done", "planned"]\n')
    assert wl.matches(event(status="done"), NOW) and wl.matches(event(status="planned"), NOW)
    assert wl.mismatch(event(status="restated"), NOW) == "status restated not in ['done', 'planned']"
    assert one(tmp_path / "all", BASE).matches(event(status="restated"), NOW)  # absent: every status


def test_parties_any(tmp_path):
    wl = one(tmp_path, BASE + 'parties_any = ["OSL", "stablecoins ordinance"]\n')
    assert wl.matches(event(party="OSL Digital Limited"), NOW)
    assert wl.matches(event(party="Kestrel Markets Limited; Stablecoins  Ordinance"), NOW)
    assert not wl.matches(event(party="HashKey Exchange"), NOW)
    assert not wl.matches(event(party=None), NOW)


def test_an_unknown_status_names_file_and_key(tmp_path):
    with pytest.raises(RuleError) as info:
        load_watchlists(write(tmp_path, BASE + 'statuses = ["done", "rumoured"]\n', name="s.toml"))
    assert "s.toml: match.statuses[1]: unknown status 'rumoured' (known: planned, restated, done)" in str(info.value)
    with pytest.raises(RuleError) as info:
        load_watchlists(write(tmp_path / "p", BASE + 'parties_any = "OSL"\n', name="p.toml"))
    assert "p.toml: match.parties_any: " in str(info.value)


def test_max_age_days_measures_the_event_against_its_report(tmp_path):
    wl = one(tmp_path, BASE + "max_age_days = 90\n")
    reported = utc(2025, 9, 1, 4)
    later = utc(2027, 1, 1)
    for now in (reported, later):  # the answer does not depend on the day the command runs
        # a 2025 article repeating the 2017 ICO ban: old news, quiet
        assert not wl.matches(event(type="ban", jurisdiction="CN", date="2017", published=reported), now)
        assert not wl.matches(event(type="ban", date="2021", qualifier="since", published=reported), now)
        assert wl.matches(event(date="2025-08", published=reported), now)
        assert wl.matches(event(date="2025-Q2", published=reported), now)  # ends 2025-06-30: 63 days
        assert not wl.matches(event(date="2025-Q1", published=reported), now)  # ends 2025-03-31: 154 days
        assert wl.matches(event(date="2026-01-01", published=reported), now)  # future: always recent
        assert wl.matches(event(date="2025-06-03", published=reported), now)  # exactly 90 days
        assert not wl.matches(event(date="2025-06-02", published=reported), now)
    # without a publication date, the report is when tracker first saw it
    assert wl.matches(event(date="2025-06-03", published=None, first_seen=reported), later)
    assert not wl.matches(event(date="2025-06-02", published=None, first_seen=reported), later)
    # undated events are always news when first reported
    assert wl.matches(event(date=None, first_seen=utc(2024, 1, 1)), reported)
    assert wl.matches(event(date=None, first_seen=datetime(2025, 8, 30)), reported)  # naive = UTC


def test_max_report_age_days_keeps_backfills_quiet(tmp_path):
    wl = one(tmp_path, BASE + "max_report_age_days = 7\n")
    now = utc(2025, 9, 1, 4)
    assert wl.matches(event(published=utc(2025, 8, 28)), now)
    assert not wl.matches(event(published=utc(2021, 9, 24)), now)  # an old article read in a backfill
    assert "max_report_age_days" in (wl.mismatch(event(published=utc(2021, 9, 24)), now) or "")
    with pytest.raises(RuleError, match="match.max_report_age_days"):
        one(tmp_path / "neg", BASE + "max_report_age_days = -1\n")


def test_default_max_age_from_config_applies_only_when_unset(tmp_path):
    d = write(tmp_path, BASE)
    (wl,) = load_watchlists(d, default_max_age_days=30)
    assert wl.match.max_age_days == 30
    d2 = write(tmp_path / "x", BASE + "max_age_days = 400\n")
    (wl2,) = load_watchlists(d2, default_max_age_days=30)
    assert wl2.match.max_age_days == 400


def test_date_bounds():
    from datetime import date

    assert date_bounds("2021") == (date(2021, 1, 1), date(2021, 12, 31))
    assert date_bounds("2025-Q3") == (date(2025, 7, 1), date(2025, 9, 30))
    assert date_bounds("2025-Q4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert date_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_bounds("2025-W38") == (date(2025, 9, 15), date(2025, 9, 21))
    assert date_bounds("2025-08-01") == (date(2025, 8, 1), date(2025, 8, 1))
    for bad in (None, "", "2025-13", "2025-02-30", "2025-Q5", "soon"):
        assert date_bounds(bad) is None


# ---------------------------------------------------------------- quiet hours


QUIET = BASE + '[quiet_hours]\nstart = "22:00"\nend = "07:00"\ntimezone = "Asia/Hong_Kong"\nurgent_types = ["ban"]\n'


def test_quiet_hours_wrap_midnight_in_local_time(tmp_path):
    wl = one(tmp_path, QUIET)
    # Hong Kong is UTC+8: 22:00 HKT = 14:00 UTC, 07:00 HKT = 23:00 UTC
    assert not in_quiet_hours(wl, utc(2025, 8, 1, 13, 59))
    assert in_quiet_hours(wl, utc(2025, 8, 1, 14, 0))  # start inclusive
    assert in_quiet_hours(wl, utc(2025, 8, 1, 18, 0))  # 02:00 HKT
    assert in_quiet_hours(wl, utc(2025, 8, 1, 22, 59))
    assert not in_quiet_hours(wl, utc(2025, 8, 1, 23, 0))  # end exclusive
    assert quiet_until(wl, utc(2025, 8, 1, 15, 0)) == utc(2025, 8, 1, 23, 0)  # 23:00 HKT → next morning
    assert quiet_until(wl, utc(2025, 8, 1, 20, 0)) == utc(2025, 8, 1, 23, 0)  # 04:00 HKT → same morning
    assert quiet_until(wl, utc(2025, 8, 1, 5, 0)) is None
    # urgent types are not held
    assert hold_until(wl, event(type="ban"), utc(2025, 8, 1, 15, 0)) is None
    assert hold_until(wl, event(), utc(2025, 8, 1, 15, 0)) == utc(2025, 8, 1, 23, 0)


def test_quiet_hours_same_day_window_and_none(tmp_path):
    wl = one(tmp_path, BASE + '[quiet_hours]\nstart = "12:00"\nend = "13:30"\ntimezone = "UTC"\n')
    assert in_quiet_hours(wl, utc(2025, 8, 1, 12, 45))
    assert not in_quiet_hours(wl, utc(2025, 8, 1, 13, 30))
    assert quiet_until(wl, utc(2025, 8, 1, 12, 0)) == utc(2025, 8, 1, 13, 30)
    plain = one(tmp_path / "p", BASE)
    assert not in_quiet_hours(plain, NOW) and quiet_until(plain, NOW) is None
    with pytest.raises(ValueError):
        in_quiet_hours(wl, datetime(2025, 8, 1, 12))  # naive "now" is a bug, not a time


# ---------------------------------------------------------------- digests


def test_daily_digest_at_local_time(tmp_path):
    wl = one(tmp_path, BASE + '[digest]\nevery = "daily"\nat = "09:00"\ntimezone = "Asia/Hong_Kong"\n')
    assert next_digest_at(wl, utc(2025, 8, 1, 0, 30)) == utc(2025, 8, 1, 1, 0)  # 09:00 HKT = 01:00 UTC
    assert next_digest_at(wl, utc(2025, 8, 1, 1, 0)) == utc(2025, 8, 2, 1, 0)  # strictly after
    assert next_digest_at(wl, utc(2025, 8, 1, 17, 0)) == utc(2025, 8, 2, 1, 0)  # 01:00 HKT next day


def test_daily_digest_across_dst(tmp_path):
    wl = one(tmp_path, BASE + '[digest]\nevery = "daily"\nat = "09:00"\ntimezone = "America/New_York"\n')
    # 2025-03-09 clocks go forward: 09:00 EST is 14:00 UTC, 09:00 EDT is 13:00 UTC
    assert next_digest_at(wl, utc(2025, 3, 8, 15, 0)) == utc(2025, 3, 9, 13, 0)


def test_hourly_digest_uses_minutes_of_at(tmp_path):
    wl = one(tmp_path, BASE + '[digest]\nevery = "hourly"\nat = "00:15"\n')
    assert next_digest_at(wl, utc(2025, 8, 1, 10, 20)) == utc(2025, 8, 1, 11, 15)
    assert next_digest_at(wl, utc(2025, 8, 1, 10, 14, 59)) == utc(2025, 8, 1, 10, 15)
    india = one(tmp_path / "i", BASE + '[digest]\nevery = "hourly"\nat = "00:00"\ntimezone = "Asia/Kolkata"\n')
    assert next_digest_at(india, utc(2025, 8, 1, 10, 0)) == utc(2025, 8, 1, 10, 30)  # UTC+5:30
    assert next_digest_at(one(tmp_path / "n", BASE), NOW) is None


# ---------------------------------------------------------------- reminders


def reminder_times(wl, ev, now):
    return [when for _days, when in reminder_schedule(wl, ev, now)]


def test_reminders_before_a_future_day(tmp_path):
    wl = one(tmp_path, BASE + '[reminders]\ndays_before = [7, 1]\nat = "09:00"\ntimezone = "Asia/Hong_Kong"\n')
    ordinance = event(date="2025-08-01", status="planned")
    assert reminder_times(wl, ordinance, utc(2025, 7, 20)) == [utc(2025, 7, 25, 1), utc(2025, 7, 31, 1)]
    assert reminder_times(wl, ordinance, utc(2025, 7, 28)) == [utc(2025, 7, 31, 1)]
    assert reminder_times(wl, ordinance, utc(2025, 8, 2)) == []
    assert reminder_times(wl, event(date="2025-08", status="planned"), utc(2025, 7, 1)) == []  # not a day
    assert reminder_times(wl, event(date=None, status="planned"), utc(2025, 7, 1)) == []
    # only planned steps: a done or restated one has nothing left to remind of
    assert reminder_times(wl, event(date="2025-08-01", status="done"), utc(2025, 7, 20)) == []
    assert reminder_times(wl, event(date="2025-08-01", status="restated"), utc(2025, 7, 20)) == []
    assert reminder_times(one(tmp_path / "n", BASE), ordinance, utc(2025, 7, 1)) == []


def test_reminder_defaults(tmp_path):
    wl = one(tmp_path, BASE + "[reminders]\n")
    assert wl.reminders.days_before == (7, 1)
    planned = event(date="2025-08-01", status="planned")
    assert reminder_times(wl, planned, utc(2025, 7, 1)) == [utc(2025, 7, 25, 1), utc(2025, 7, 31, 1)]
