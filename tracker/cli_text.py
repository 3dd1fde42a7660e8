"""Commands over documents and rule files, with no database: extract, dates, schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli_common import (
    app,
    out,
)
from tracker.errors import InputError

__all__ = ["extract", "dates", "schema"]

def _documents(
    jsonl: Path | None, file: Path | None, published: str | None, lang: str | None
) -> list[dict[str, object]]:
    from tracker.documents import read_jsonl, read_text_file

    if jsonl is not None and file is not None:
        raise InputError("give either --jsonl FILE or a plain-text FILE, not both")
    if jsonl is not None:
        return read_jsonl(jsonl)
    if file is not None:
        return [read_text_file(file, published, lang)]
    raise InputError("missing input: give --jsonl DOCS.jsonl, or a plain-text FILE (with --published when known)")


JsonlOption = Annotated[Path | None, typer.Option("--jsonl", help="JSON Lines documents ('-' for stdin).")]
FileArgument = Annotated[Path | None, typer.Argument(help="A plain-text document.", show_default=False)]
PublishedOption = Annotated[str | None, typer.Option("--published", help="Publication date of FILE (ISO 8601).")]
LangOption = Annotated[str | None, typer.Option("--lang", help="en or zh (default: detected).")]


RulesConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Take rules.dir from this config (default: the bundled rules/).")
]


@app.command()
def extract(
    file: FileArgument = None,
    jsonl: JsonlOption = None,
    published: PublishedOption = None,
    lang: LangOption = None,
    config: RulesConfigOption = None,
) -> None:
    """Regulatory events of each document, one JSON line per document."""
    import json

    from tracker.extract import extract_record

    rules = None
    if config is not None:
        from tracker.app import load_rules_dir
        from tracker.config import load_config

        rules = load_rules_dir(load_config(config))
    docs = _documents(jsonl, file, published, lang)
    lines = [json.dumps(extract_record(doc, rules), ensure_ascii=False) for doc in docs]
    sys.stdout.write("".join(line + "\n" for line in lines))


@app.command()
def dates(
    file: FileArgument = None, jsonl: JsonlOption = None, published: PublishedOption = None, lang: LangOption = None
) -> None:
    """Date expressions of each document, resolved, one JSON line per document."""
    import json

    from tracker.documents import dates_record

    lines = [json.dumps(dates_record(doc), ensure_ascii=False) for doc in _documents(jsonl, file, published, lang)]
    sys.stdout.write("".join(line + "\n" for line in lines))


# --- sources ---------------------------------------------------------------------------------




@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write NAME.schema.json files into this folder.")
    ] = None,
) -> None:
    """JSON Schemas of the files users edit (rules/, config.toml and its sources), for editors to validate them."""
    import json

    from tracker.alerts.watchlist_file import WatchlistFile
    from tracker.identity import EntitiesFile
    from tracker.settings import OPTION_MODELS, ConfigFile, SourceEntry

    schemas = {
        "watchlist": WatchlistFile.model_json_schema(),
        "entities": EntitiesFile.model_json_schema(),
        "config": ConfigFile.model_json_schema(),
        "source": SourceEntry.model_json_schema(),
        **{f"{kind}-options": model.model_json_schema() for kind, model in OPTION_MODELS.items()},
    }
    if output is None:
        out().file.write(json.dumps(schemas, ensure_ascii=False, indent=2) + "\n")
        return
    if output.exists() and not output.is_dir():
        raise InputError(f"--output: {output} is not a folder")
    output.mkdir(parents=True, exist_ok=True)
    for name, body in schemas.items():
        target = output / f"{name}.schema.json"
        partial = target.with_suffix(".json.partial")
        partial.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        partial.replace(target)  # never a half-written schema
        out().print(f"wrote {target}")
