"""The configuration reference (docs/CONFIG.md), generated from the typed config (enrich/config.py).

Every field of :class:`enrich.config.JobConfig`, section by section, with its type, default and
description. Regenerate after changing a field::

    make config-reference        # or: python -m enrich.config_reference docs/CONFIG.md

``tests/unit/test_config_reference.py`` fails when a field has no description or the file is
stale.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from enrich.config import JobConfig, TaskConfig

DEFAULT_OUTPUT = Path("docs/CONFIG.md")

HEADER = """\
# Configuration reference

Generated from `enrich/config.py` by `make config-reference`; do not edit by hand.

A configuration is a YAML file of these sections (`--config FILE`; `conf/default.yaml` when it
exists, else the defaults below), and any field can be overridden on the command line with
`--set section.field=value`, e.g. `--set generation.batch_size=16`. An unknown field or a bad
value stops the command before Spark starts, naming the field.
"""


def _type_name(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return " or ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(names) + (" or null" if type(None) in args else "")
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section"
    return {str: "string", int: "integer", float: "number", bool: "boolean", Path: "path"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )


def _default(info: FieldInfo) -> str:
    value = info.get_default(call_default_factory=True)
    if isinstance(value, Path):
        value = str(value)
    text = json.dumps(value) if not isinstance(value, str) or not value else value
    return "null" if value is None else f"`{text}`"


def _is_section(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def fields(model: type[BaseModel] = JobConfig, prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    """Every leaf field below ``model`` as (dotted name, field), depth first.

    ``tasks`` is a mapping of task name to :class:`enrich.config.TaskConfig`; its fields are
    named ``tasks.<name>.<field>``.
    """
    for name, info in model.model_fields.items():
        dotted = f"{prefix}{name}"
        if _is_section(info.annotation):
            yield from fields(info.annotation, f"{dotted}.")
        elif model is JobConfig and name == "tasks":
            yield from fields(TaskConfig, "tasks.<name>.")
        else:
            yield dotted, info


def _cell(text: str) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _table(model: type[BaseModel], prefix: str) -> list[str]:
    lines = ["| setting | type | default | description |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        if _is_section(info.annotation):
            continue
        if model is JobConfig and name == "tasks":
            continue
        lines.append(
            f"| `{prefix}{name}` | {_cell(_type_name(info.annotation))} | "
            f"{_cell(_default(info))} | {_cell(info.description or '')} |"
        )
    return lines


def _sections(model: type[BaseModel], prefix: str, title: str) -> list[str]:
    out = [f"## `{title}`", "", " ".join((model.__doc__ or "").split()), ""]
    if any(not _is_section(i.annotation) for i in model.model_fields.values()):
        out += [*_table(model, prefix), ""]
    for name, info in model.model_fields.items():
        if _is_section(info.annotation):
            out += _sections(info.annotation, f"{prefix}{name}.", f"{prefix}{name}")
    return out


def render() -> str:
    """The reference as Markdown."""
    out = [HEADER, "## Top level", "", " ".join((JobConfig.__doc__ or "").split()), ""]
    out += [*_table(JobConfig, ""), ""]
    for name, info in JobConfig.model_fields.items():
        if _is_section(info.annotation):
            out += _sections(info.annotation, f"{name}.", name)
        elif name == "tasks":
            out += [
                "## `tasks.<name>`",
                "",
                " ".join((TaskConfig.__doc__ or "").split()),
                "",
                "Two tasks ship, `description` and `review_summary`; a configuration's entries are "
                "merged onto them field by field, and a new name adds a task. The defaults below "
                "are those of a new task; the shipped tasks set their own (see `SHIPPED_TASKS` in "
                "`enrich/config.py`).",
                "",
                *_table(TaskConfig, "tasks.<name>."),
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the reference to the path given (default ``docs/CONFIG.md``)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_OUTPUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
