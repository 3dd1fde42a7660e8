"""Kind-specific ``[sources.options]``: the declared models, with their defaults filled in.

The options of each kind are declared once in tracker/settings.py and validated when the
config is loaded (tracker.config.check_options, errors naming the file and
``sources.<name>.options.<key>``). A poll asks for its kind's model with :func:`resolved`.
"""

from __future__ import annotations

from typing import TypeVar

from tracker.config import SourceConfig, check_options
from tracker.errors import ConfigError
from tracker.schema import FileModel, validate_file
from tracker.settings import OPTION_MODELS, FeedOptions, FolderOptions, JsonOptions, PageOptions

__all__ = ["OPTION_MODELS", "FeedOptions", "FolderOptions", "PageOptions", "JsonOptions", "check_options", "resolved"]

M = TypeVar("M", bound=FileModel)


def resolved(source: SourceConfig, model: type[M]) -> M:
    """``source``'s options as ``model``, defaults filled in (validated again, so a poll never
    sees bad options even from a SourceConfig built by hand)."""
    if OPTION_MODELS.get(source.kind) is not model:
        raise ConfigError(f"sources.{source.name}.kind: {source.kind!r} has no {model.__name__}")
    return validate_file(model, dict(source.options), f"sources.{source.name}", ConfigError, at=("options",))
