"""Files analysts edit (lexicon, signals): YAML read with the line of every value, and errors
that name the file, the line and the fix.

Each loader keeps its own schema; the reading and the checks every schema needs live here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
_NUMBERS = {"tag:yaml.org,2002:float", "tag:yaml.org,2002:int"}


def package_data_dir(package: str, override_variable: str) -> Path:
    """The ``data`` folder shipped in ``package``, or the folder the environment variable names."""
    override = os.environ.get(override_variable)
    if override:
        return Path(override)
    return Path(str(resources.files(package) / "data"))


class DataFileError(ValueError):
    """A data file is not valid. The message names the file, the line and the fix."""

    def __init__(self, file: str, line: int, problem: str, fix: str) -> None:
        self.file, self.line, self.problem, self.fix = file, line, problem, fix
        super().__init__(f"{file}:{line}: {problem}. Fix: {fix}")


@dataclass(frozen=True)
class Node:
    """A YAML value (dict of Nodes, list of Nodes, str, float or None) and its 1-based line."""

    value: Any
    line: int


def read_mapping(text: str, file: str, start_fix: str) -> Node:
    """Parse a file that must be one YAML mapping; ``start_fix`` says what it should begin with."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise DataFileError(file, line, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                            "check indentation and quote text that holds ':' or '#'") from exc
    if root is None:
        raise DataFileError(file, 1, "the file is empty", start_fix)
    doc = _plain(root)
    if not isinstance(doc.value, dict):
        raise DataFileError(file, doc.line, "the file must be a mapping", start_fix)
    return doc


def _plain(node: yaml.Node) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return Node({str(key.value): _plain(value) for key, value in node.value}, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_plain(child) for child in node.value], line)
    value = node.value  # a scalar's text, as yaml's construct_scalar would return it
    if node.tag in _NUMBERS:
        return Node(float(value), line)
    if node.tag == "tag:yaml.org,2002:null":
        return Node(None, line)
    return Node(value, line)


def mapping(node: Node, file: str, what: str, fix: str) -> dict[str, Node]:
    """``node`` as a mapping, or an error saying ``what`` must be one."""
    if not isinstance(node.value, dict):
        raise DataFileError(file, node.line, f"{what} must be a mapping", fix)
    out: dict[str, Node] = node.value
    return out


def no_unknown_keys(fields: dict[str, Node], allowed: set[str], file: str, line: int,
                    what: str) -> None:
    for key, node in fields.items():
        if key not in allowed:
            raise DataFileError(file, node.line or line, f"unknown {what} key {key!r}",
                                f"use only: {', '.join(sorted(allowed))}")


def required_str(fields: dict[str, Node], key: str, file: str, line: int) -> str:
    """A text value; numbers are read as text ("1", "0.5") since YAML types them."""
    node = fields.get(key)
    if node is None or node.value is None:
        raise DataFileError(file, line, f"missing '{key}'", f"add '{key}: ...'")
    if not isinstance(node.value, str | float):
        raise DataFileError(file, node.line, f"'{key}' must be text", f"write '{key}: some text'")
    return node.value if isinstance(node.value, str) else _number_text(node.value)


def optional_str(fields: dict[str, Node], key: str, file: str) -> str | None:
    node = fields.get(key)
    if node is None or node.value is None:
        return None
    if not isinstance(node.value, str):
        raise DataFileError(file, node.line, f"'{key}' must be text", f"quote the {key}")
    return node.value


def string_list(node: Node | None, file: str, key: str) -> list[str]:
    if node is None or node.value is None:
        return []
    if not isinstance(node.value, list):
        raise DataFileError(file, node.line, f"'{key}' must be a list", f"write '{key}: [a, b]'")
    out = []
    for child in node.value:
        value = child.value
        if isinstance(value, float):
            value = _number_text(value)
        if not isinstance(value, str) or not value.strip():
            raise DataFileError(file, child.line, f"an item of '{key}' is not text",
                                "quote each item")
        out.append(value)
    return out


def string_map(node: Node | None, file: str, key: str) -> dict[str, str]:
    if node is None or node.value is None:
        return {}
    if not isinstance(node.value, dict):
        raise DataFileError(file, node.line, f"'{key}' must be a mapping",
                            f"write '{key}:' then 'name: citation' lines")
    out = {}
    for name, child in node.value.items():
        if not isinstance(child.value, str):
            raise DataFileError(file, child.line, f"'{key}.{name}' must be text", "quote it")
        out[name] = child.value
    return out


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
