"""The real `tracker` command, end to end, in a temporary copy of the default workspace."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli

from tracker.periods import period_of


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("sources", "documents", "mentions", "events", "alerts")}  # fmt: skip


def _timeline(workspace: Path, *args: str) -> list[dict]:
    result = run_cli("timeline", "--format", "json", *args, cwd=workspace)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_run_once_builds_the_timeline_and_alerts_once(workspace: Path) -> None:
    first = run_cli("run", "--once", cwd=workspace)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert "console alert" in first.stdout
    alerts_first = first.stdout.count("console alert")
    assert alerts_first >= 3

    events = _timeline(workspace)
    # the "since 2021" ban stays a year, with its qualifier
    bans = [e for e in events if e["jurisdiction"] == "CN" and e["type"] == "ban" and e["date"]]
    assert any(e["date"].startswith("2021") for e in bans), bans
    assert all(e["date"] != "2021-11-20" for e in bans)
    # "took effect on August 1" in an August 2025 article is 2025-08-01
    ordinances = [e for e in events if e["jurisdiction"] == "HK" and e["type"] == "ordinance"]
    assert any(e["date"] == "2025-08-01" and e["precision"] == "day" for e in ordinances), ordinances
    # the ordinance is stated by two sources and merged into one event
    assert any(e["sources"] >= 2 for e in ordinances), ordinances
    # the EU article is not attributed to Hong Kong or the mainland
    assert not any("MiCA" in e["evidence"] and e["jurisdiction"] in ("HK", "CN") for e in events)
    # ordered by date
    starts = [period_of(e["date"] or e["placed"]).first for e in events]
    assert starts == sorted(starts)

    before = _counts(workspace / "tracker.db")
    second = run_cli("run", "--once", cwd=workspace)
    assert second.returncode == 0, second.stderr
    assert "console alert" not in second.stdout
    assert "alerts: 0 sent" in second.stdout
    assert _counts(workspace / "tracker.db") == before


def test_timeline_filters_and_formats(workspace: Path) -> None:
    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    everything = _timeline(workspace)
    hk = _timeline(workspace, "--jurisdiction", "HK")
    assert hk and all(e["jurisdiction"] == "HK" for e in hk)
    assert len(hk) < len(everything)
    recent = _timeline(workspace, "--since", "2025-08")
    assert recent and all((e["date"] or e["placed"]) >= "2025-08" or e["date"] is None for e in recent)
    assert not any(e["date"] == "2021" for e in recent)
    old = _timeline(workspace, "--until", "2021")
    assert old and all((e["date"] or "0")[:4] <= "2021" for e in old)
    assert len(_timeline(workspace, "--limit", "2")) == 2
    matched = _timeline(workspace, "--match", "stablecoin")
    assert matched and all("stablecoin" in (e["evidence"] + str(e["subject"])).lower() for e in matched)
    statuses = {e["status"] for e in everything}
    assert {"done", "planned"} <= statuses  # the sample holds steps taken and steps to come
    planned = _timeline(workspace, "--status", "planned")
    assert planned and all(e["status"] == "planned" for e in planned)
    assert len(_timeline(workspace, "--status", "done", "--status", "planned")) == len(
        [e for e in everything if e["status"] in ("done", "planned")]
    )
    bad = run_cli("timeline", "--status", "rumoured", cwd=workspace)
    assert bad.returncode == 2 and "--status: unknown status 'rumoured'" in bad.stderr

    csv_out = run_cli("timeline", "--format", "csv", cwd=workspace).stdout.splitlines()
    assert csv_out[0].startswith("id,date,precision,qualifier")
    assert len(csv_out) == len(everything) + 1
    markdown = run_cli("timeline", "--format", "markdown", cwd=workspace).stdout
    assert markdown.startswith("| date | jurisdiction |")
    ics = run_cli("timeline", "--format", "ics", cwd=workspace).stdout
    assert ics.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20250801" in ics
    table = run_cli("timeline", cwd=workspace)
    assert table.returncode == 0 and "Timeline" in table.stdout


def test_sources_and_version(workspace: Path) -> None:
    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    listing = run_cli("sources", cwd=workspace)
    assert listing.returncode == 0, listing.stderr
    assert "hk-regulators-sample" in listing.stdout and "articles-sample" in listing.stdout
    version = run_cli("--version", cwd=workspace)
    assert version.returncode == 0 and version.stdout.startswith("tracker ")


def _one_line_error(result, *needles: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    ("edit", "needles"),
    [
        (
            lambda s: s.replace("[scheduler]", "[scheduler]\ntick_rate = 3"),
            ("config.toml", "scheduler.tick_rate", "unknown key"),
        ),
        (
            lambda s: s.replace("per_host_delay = 1.0", 'per_host_delay = "fast"'),
            ("config.toml", "fetch.per_host_delay", "expected a number"),
        ),
        (
            lambda s: s.replace('interval = "15m"', 'interval = "often"', 1),
            ("config.toml", "sources.hk-regulators-sample.interval"),
        ),
        (
            lambda s: s.replace('kind = "feed"', 'kind = "carrier-pigeon"', 1),
            ("config.toml", "sources.hk-regulators-sample.kind"),
        ),
        (lambda s: s + "\n[storage\n", ("config.toml", "invalid TOML")),
        (lambda s: s + "\nsurprise = 1\n", ("config.toml", "surprise", "unknown key")),
        (
            lambda s: s.replace('path = "examples/pages"', 'options = { recursive = "yes" }\npath = "examples/pages"'),
            ("config.toml", "sources.articles-sample.options.recursive", "expected true or false, got str 'yes'"),
        ),
        (
            lambda s: s.replace('lang = "en"\n', 'lang = "en"\noptions = { max_items = 5, depth = 2 }\n', 1),
            ("config.toml", "sources.hk-regulators-sample.options.depth", "unknown key"),
        ),
        (
            lambda s: s.replace("max_age_days = 0", "max_age_days = 1.5", 1),
            ("config.toml", "alerts.max_age_days", "expected an integer, got float 1.5"),
        ),
    ],
)
def test_bad_config_is_one_line_exit_2(workspace: Path, edit, needles) -> None:
    config = workspace / "config.toml"
    config.write_text(edit(config.read_text(encoding="utf-8")), encoding="utf-8")
    _one_line_error(run_cli("run", "--once", cwd=workspace), *needles)
    assert not (workspace / "tracker.db").exists()


def test_missing_config_file(workspace: Path) -> None:
    _one_line_error(run_cli("timeline", "--config", "nowhere.toml", cwd=workspace), "nowhere.toml")


def test_watchlist_with_unknown_event_type(workspace: Path) -> None:
    path = next((workspace / "rules" / "watchlists").glob("*.toml"))
    text = path.read_text(encoding="utf-8")
    assert '"ban"' in text
    path.write_text(text.replace('"ban"', '"bann"', 1), encoding="utf-8")
    _one_line_error(run_cli("run", "--once", cwd=workspace), path.name, "bann")


def test_timeline_since_not_a_date(workspace: Path) -> None:
    _one_line_error(run_cli("timeline", "--since", "notadate", cwd=workspace), "--since", "notadate")
    _one_line_error(run_cli("timeline", "--format", "pdf", cwd=workspace), "--format")
    _one_line_error(run_cli("timeline", "--type", "banana", cwd=workspace), "--type")


def test_timeline_jurisdiction_is_validated_and_lists_are_accepted(workspace: Path) -> None:
    for value in ("XX", "hkg", "H1"):
        _one_line_error(run_cli("timeline", "-j", value, cwd=workspace), "--jurisdiction", repr(value.upper()))
    _one_line_error(run_cli("timeline", "-t", "ban,bann", cwd=workspace), "--type", "bann")
    _one_line_error(run_cli("timeline", "-j", "HK,", cwd=workspace), "--jurisdiction", "empty")
    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    hk, cn = _timeline(workspace, "-j", "hk"), _timeline(workspace, "-j", "CN")
    assert hk and cn
    both = _timeline(workspace, "-j", "HK,cn")
    assert both == _timeline(workspace, "-j", "HK", "-j", "CN")
    assert {e["id"] for e in both} == {e["id"] for e in hk + cn}
    types = {e["type"] for e in both}
    some = sorted(types)[:2]
    listed = _timeline(workspace, "-t", ",".join(some))
    assert listed and {e["type"] for e in listed} == set(some)
    assert listed == _timeline(workspace, *[arg for t in some for arg in ("-t", t)])


def test_timeline_checks_the_config_as_other_commands_do(workspace: Path) -> None:
    config = workspace / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('dir = "rules"', 'dir = "norules"'), encoding="utf-8")
    _one_line_error(run_cli("timeline", cwd=workspace), "rules.dir", "does not exist")


def test_run_force_without_once_is_refused(workspace: Path) -> None:
    _one_line_error(run_cli("run", "--force", cwd=workspace, timeout=60), "--force", "--once")


def test_unknown_option_is_one_line(workspace: Path) -> None:
    _one_line_error(run_cli("timeline", "--colour", "red", cwd=workspace), "--colour")


@pytest.mark.parametrize(
    ("line", "needles"),
    [
        ("this is not json", ("docs.jsonl:2", "not JSON")),
        # json's own message ends in "at": its position follows once, not "at at column"
        ('{"id": "x", "text": "cut', ("docs.jsonl:2", "not JSON (Unterminated string starting at column 21)")),
        ('{"id": "x", "published": null}', ("docs.jsonl:2", "text")),
        ('{"id": "b", "text": "Bonjour.", "lang": "fr"}', ("docs.jsonl:2", "lang", "'fr'")),
        ('{"id": "b", "text": "x", "colour": "red"}', ("docs.jsonl:2", "colour", "unknown key")),
        ('{"id": 1, "text": "x"}', ("docs.jsonl:2", "id", "string")),
        ('{"text": "x"}', ("docs.jsonl:2", "id", "missing")),
        ('{"id": "a", "text": "again"}', ("docs.jsonl:2", "id", "'a'", "line 1")),
        ('{"id": "b", "text": "x", "locale": "Mars"}', ("docs.jsonl:2", "locale")),
        ('{"id": "b", "text": "x", "url": 5}', ("docs.jsonl:2", "url")),
    ],
)
def test_extract_bad_jsonl_writes_nothing(workspace: Path, line: str, needles) -> None:
    good = json.dumps({"id": "a", "published": "2025-08-04T10:00:00+08:00", "text": "The SFC banned it on 3 May."})
    docs = workspace / "docs.jsonl"
    docs.write_text(good + "\n" + line + "\n", encoding="utf-8")
    for command in ("extract", "dates"):
        result = run_cli(command, "--jsonl", str(docs), cwd=workspace)
        _one_line_error(result, *needles)
        assert result.stdout == ""


def test_extract_empty_jsonl_is_refused(workspace: Path) -> None:
    docs = workspace / "docs.jsonl"
    for body in ("", "\n  \n"):
        docs.write_text(body, encoding="utf-8")
        for command in ("extract", "dates"):
            result = run_cli(command, "--jsonl", str(docs), cwd=workspace)
            _one_line_error(result, "docs.jsonl", "no documents")
            assert result.stdout == ""


def test_extract_accepts_every_documented_key_and_the_gold_annotations(workspace: Path) -> None:
    row = {"id": "a", "published": "2025-08-04T10:00:00+08:00", "text": "The SFC banned it on 3/5/2025.",
           "title": "t", "url": "https://www.sfc.hk/x", "lang": "en", "locale": "us",
           "kind": "news", "events": [], "timexes": [], "ignore": []}  # fmt: skip
    docs = workspace / "docs.jsonl"
    docs.write_text(json.dumps(row) + "\n" + json.dumps({"id": "b", "text": "x", "lang": None}) + "\n", "utf-8")
    for command in ("extract", "dates"):
        result = run_cli(command, "--jsonl", str(docs), cwd=workspace)
        assert result.returncode == 0, result.stderr
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]


def test_extract_and_dates_contracts(workspace: Path) -> None:
    docs = workspace / "docs.jsonl"
    rows = [
        {"id": "one", "published": "2025-08-04T10:00:00+08:00",
         "text": "Hong Kong's Stablecoins Ordinance took effect on August 1, the HKMA said."},
        {"id": "two", "published": None, "text": "中国人民银行于2021年9月24日发布通知，全面禁止虚拟货币交易。", "lang": "zh"},
    ]  # fmt: skip
    docs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = run_cli("dates", "--jsonl", str(docs), cwd=workspace)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["one", "two"]
    first = lines[0]["timexes"]
    assert any(t["value"] == "2025-08-01" and rows[0]["text"][t["start"] : t["end"]] == t["text"] for t in first)
    assert any(t["value"] == "2021-09-24" for t in lines[1]["timexes"])

    out = run_cli("extract", "--jsonl", str(docs), cwd=workspace)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["one", "two"]
    for line in lines:
        for event in line["events"]:
            assert set(event) >= {"type", "jurisdiction", "date", "precision", "qualifier", "date_text",
                                  "evidence", "confidence"}  # fmt: skip
            assert 0.0 <= event["confidence"] <= 1.0
    assert any(e["type"] == "ordinance" and e["jurisdiction"] == "HK" and e["date"] == "2025-08-01"
               for e in lines[0]["events"])  # fmt: skip

    text_file = workspace / "note.txt"
    text_file.write_text(rows[0]["text"], encoding="utf-8")
    single = run_cli("dates", str(text_file), "--published", "2025-08-04T10:00:00+08:00", cwd=workspace)
    assert single.returncode == 0, single.stderr
    assert json.loads(single.stdout)["id"] == "note.txt"
    _one_line_error(run_cli("dates", str(text_file), "--published", "yesterday-ish", cwd=workspace), "--published")


@pytest.mark.postgres
def test_run_once_on_postgres(workspace: Path, postgres_url: str) -> None:
    env = {"TRACKER_DATABASE_URL": postgres_url}
    # a server is migrated on purpose, never as a side effect of another command
    refused = run_cli("timeline", cwd=workspace, env=env)
    _one_line_error(refused, "tracker db upgrade")
    upgraded = run_cli("db", "upgrade", cwd=workspace, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    first = run_cli("run", "--once", cwd=workspace, env=env)
    assert first.returncode == 0, first.stderr
    assert "console alert" in first.stdout
    events = json.loads(run_cli("timeline", "--format", "json", cwd=workspace, env=env).stdout)
    assert any(e["jurisdiction"] == "HK" and e["type"] == "ordinance" and e["date"] == "2025-08-01" for e in events)
    second = run_cli("run", "--once", cwd=workspace, env=env)
    assert "console alert" not in second.stdout
    assert not (workspace / "tracker.db").exists()


def test_database_password_is_never_printed(workspace: Path) -> None:
    env = {"TRACKER_DATABASE_URL": "postgresql://tracker:s3cret-pw@127.0.0.1:1/tracker"}
    for args in (("timeline",), ("db", "upgrade")):
        result = run_cli(*args, cwd=workspace, env=env)
        _one_line_error(result, "TRACKER_DATABASE_URL")  # the URL came from there, not config.toml
        assert "s3cret-pw" not in result.stderr + result.stdout
        assert "***" in result.stderr


@pytest.mark.parametrize(
    ("edit", "needles"),
    [
        (lambda s: s.replace("tick = 5 ", "tick = -5 "), ("scheduler.tick", "more than 0")),
        (
            lambda s: s.replace("per_host_concurrency = 2 ", "per_host_concurrency = 0 "),
            ("fetch.per_host_concurrency", "at least 1"),
        ),
        (lambda s: s.replace("jitter = 0.1 ", "jitter = 5 "), ("scheduler.jitter", "at most 0.5")),
        (lambda s: s.replace('dir = "rules"', 'dir = "norules"'), ("rules.dir", "does not exist")),
    ],
)
def test_out_of_range_settings_are_refused(workspace: Path, edit, needles) -> None:
    config = workspace / "config.toml"
    text = config.read_text(encoding="utf-8")
    assert edit(text) != text
    config.write_text(edit(text), encoding="utf-8")
    _one_line_error(run_cli("run", "--once", cwd=workspace), *needles)


def test_rules_come_from_rules_dir(workspace: Path) -> None:
    types = workspace / "rules" / "event_types.toml"
    types.write_text(types.read_text(encoding="utf-8") + "\n[surprise]\nkey = 1\n", encoding="utf-8")
    _one_line_error(run_cli("run", "--once", cwd=workspace), "event_types.toml", "surprise")
    docs = workspace / "d.jsonl"
    docs.write_text('{"id": "a", "published": null, "text": "x"}\n', encoding="utf-8")
    _one_line_error(run_cli("extract", "--jsonl", str(docs), "--config", "config.toml", cwd=workspace), "surprise")
    assert run_cli("extract", "--jsonl", str(docs), cwd=workspace).returncode == 0  # bundled rules


def test_impossible_iso_dates_are_refused(workspace: Path) -> None:
    for value in ("2025-13", "2025-02-30", "2025-Q5"):
        _one_line_error(run_cli("timeline", "--since", value, cwd=workspace), "--since", value)


def test_unsupported_database_scheme(workspace: Path) -> None:
    result = run_cli("timeline", cwd=workspace, env={"TRACKER_DATABASE_URL": "mysql://u:pw@127.0.0.1/x"})
    _one_line_error(result, "only SQLite", "PostgreSQL")
    assert "pw@" not in result.stderr


def test_commands_started_together_migrate_once(workspace: Path) -> None:
    import subprocess
    import sys

    procs = [
        subprocess.Popen([sys.executable, "-m", "tracker", "watchlists"], cwd=workspace,  # (timeline creates nothing)
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, [err for _, err in results]


def test_sources_check_stores_nothing(workspace: Path) -> None:
    result = run_cli("sources", "check", "articles-sample", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert "nothing stored" in result.stdout and "2021-09-24" in result.stdout
    counts = _counts(workspace / "tracker.db")
    assert counts["documents"] == counts["events"] == counts["alerts"] == 0
    _one_line_error(run_cli("sources", "check", "nope", cwd=workspace), "nope")


def test_sources_check_on_an_unreachable_source_exits_1(workspace: Path) -> None:
    config = workspace / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[[sources]]\nname = "down"\nkind = "feed"\nurl = "http://127.0.0.1:9/feed.xml"\ninterval = "1h"\n',
        encoding="utf-8",
    )
    result = run_cli("sources", "check", "down", cwd=workspace)
    assert result.returncode == 1, (result.stdout, result.stderr)  # a source failed, not bad input
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "down" in lines[0] and "Traceback" not in result.stderr


def test_watchlists_list_and_backtest(workspace: Path) -> None:
    listing = run_cli("watchlists", cwd=workspace)
    assert listing.returncode == 0, listing.stderr
    assert "hk-cn-digital-assets" in listing.stdout and "console" in listing.stdout
    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    before = _counts(workspace / "tracker.db")
    backtest = run_cli("watchlists", "test", "hk-cn-digital-assets", "--since", "2025", cwd=workspace)
    assert backtest.returncode == 0, backtest.stderr
    assert "would have alerted" in backtest.stdout
    assert "2025-08-01" in backtest.stdout  # the ordinance, reported in 2025
    assert "2024-12-18" not in backtest.stdout  # reported in 2024: before --since
    assert _counts(workspace / "tracker.db") == before  # a backtest sends and stores nothing
    _one_line_error(run_cli("watchlists", "test", "nope", cwd=workspace), "nope")
    alerts = run_cli("alerts", cwd=workspace)
    assert alerts.returncode == 0 and "sent" in alerts.stdout


def test_unknown_jurisdiction_code_is_refused(workspace: Path) -> None:
    _one_line_error(run_cli("timeline", "--jurisdiction", "Hong Kong", cwd=workspace), "--jurisdiction")
    ok = run_cli("timeline", "--jurisdiction", "hk", "--format", "json", cwd=workspace)
    assert ok.returncode == 0, ok.stderr


def test_bad_cue_and_weight_data_is_one_line(workspace: Path) -> None:
    """rules/cues.toml and rules/confidence.toml are validated like the other rule files."""
    docs = workspace / "d.jsonl"
    docs.write_text('{"id": "a", "published": null, "text": "x"}\n', encoding="utf-8")
    weights = workspace / "rules" / "confidence.toml"
    original = weights.read_text(encoding="utf-8")
    weights.write_text(original.replace("weak = 0.55", 'weak = "low"'), encoding="utf-8")
    _one_line_error(
        run_cli("extract", "--jsonl", str(docs), "--config", "config.toml", cwd=workspace),
        "confidence.toml",
        "weights.weak",
    )
    weights.write_text(original, encoding="utf-8")
    cues = workspace / "rules" / "cues.toml"
    cues.write_text(cues.read_text(encoding="utf-8").replace("[patterns.opened]", "[patterns.opend]"), encoding="utf-8")
    _one_line_error(
        run_cli("extract", "--jsonl", str(docs), "--config", "config.toml", cwd=workspace), "cues.toml", "patterns.opend"
    )


def test_bare_tracker_prints_the_help_plainly(workspace: Path) -> None:
    shown = run_cli(cwd=workspace)
    assert shown.returncode == 0 and shown.stderr == ""
    assert shown.stdout.startswith("Usage: tracker") and "timeline" in shown.stdout and "(see --help)" not in shown.stdout


def test_run_once_prints_a_folder_warning_once(workspace: Path) -> None:
    (workspace / "mine").mkdir()
    (workspace / "mine" / "a.jsonl").write_text('{"id": "a", "text": "The SFC granted a licence."}\n{"id": "b", "text": "cut\n',
                                                encoding="utf-8")  # fmt: skip
    config = workspace / "mine.toml"
    config.write_text('[storage]\ndatabase_url = "sqlite:///mine.db"\n[rules]\ndir = "rules"\n'
                      '[[sources]]\nname = "mine"\nkind = "folder"\npath = "mine"\ninterval = "1h"\n',
                      encoding="utf-8")  # fmt: skip
    result = run_cli("run", "--once", "--config", str(config), cwd=workspace)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "a.jsonl:2" in line]
    assert lines == ["warning: mine: a.jsonl:2: not JSON (Unterminated string starting at column 21); skipped"]


def test_the_format_name_is_read_in_any_case(workspace: Path) -> None:
    shown = run_cli("timeline", "-f", "JSON", cwd=workspace)
    assert shown.returncode == 0 and shown.stdout.strip() == "[]", shown.stderr


def test_a_bad_database_url_from_the_environment_is_named_as_such(workspace: Path) -> None:
    shown = run_cli("timeline", cwd=workspace, env={"TRACKER_DATABASE_URL": "mysql://x"})
    assert shown.returncode == 2
    assert shown.stderr.startswith("tracker: TRACKER_DATABASE_URL: mysql://x: only SQLite"), shown.stderr
    assert "config.toml" not in shown.stderr


def test_a_malformed_slack_token_is_the_only_line(workspace: Path) -> None:
    shown = run_cli("run", "--once", cwd=workspace, env={"SLACK_BOT_TOKEN": "abc"})
    assert shown.returncode == 2
    assert shown.stderr.strip().splitlines() == ["tracker: SLACK_BOT_TOKEN: '****' does not look like a Slack token (xoxb-...)"]


def test_the_run_summary_is_one_line_at_any_width(workspace: Path) -> None:
    shown = run_cli("run", "--once", cwd=workspace, env={"COLUMNS": "60"})
    assert shown.returncode == 0, shown.stderr
    summary = [line for line in shown.stdout.splitlines() if line.startswith("sources polled:")]
    assert len(summary) == 1 and summary[0].endswith("deferred") and "alerts: " in summary[0], shown.stdout[-800:]


def test_extract_reads_utf16_with_its_byte_order_mark(tmp_path: Path) -> None:
    page = tmp_path / "u16.txt"
    page.write_bytes("證監會於2025年3月1日向一家平台發出牌照。".encode("utf-16"))  # BOM + UTF-16 text
    shown = run_cli("extract", str(page), "--published", "2025-03-02", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert '"license_grant"' in shown.stdout and '"2025-03-01"' in shown.stdout


def test_an_unreachable_server_names_the_file_and_the_url_as_written(workspace: Path) -> None:
    config = workspace / "pg.toml"
    config.write_text('[storage]\ndatabase_url = "postgresql://nobody@127.0.0.1:1/x"\n[rules]\ndir = "rules"\n',
                      encoding="utf-8")  # fmt: skip
    shown = run_cli("run", "--once", "--config", str(config), cwd=workspace)
    assert shown.returncode == 2
    assert shown.stderr.startswith(f"tracker: {config}: storage.database_url: postgresql://nobody@127.0.0.1:1/x: cannot connect")


def test_sources_and_alerts_keep_whole_values_at_80_columns(workspace: Path) -> None:
    import re

    assert run_cli("run", "--once", cwd=workspace).returncode == 0
    for command in ("sources", "alerts"):
        shown = run_cli(command, cwd=workspace, env={"COLUMNS": "80"})
        assert shown.returncode == 0, shown.stderr
        lines = shown.stdout.splitlines()
        assert all(len(line) <= 80 for line in lines), shown.stdout
        # a timestamp on one line, never cut into pieces: "12-04 02:39"
        assert any(re.search(r"\b\d\d-\d\d \d\d:\d\d\b", line) for line in lines), shown.stdout
    wide = run_cli("sources", cwd=workspace, env={"COLUMNS": "160"})
    assert "enabled" in wide.stdout and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", wide.stdout)
