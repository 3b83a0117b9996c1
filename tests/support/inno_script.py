"""Read an Inno Setup script and a PyInstaller spec the way the tests need them, on Linux.

``InnoScript.parse`` keeps what the compiler would see of a simple script: ``;`` comments
dropped, ``#define NAME "value"`` (also inside ``#ifndef``) remembered and ``{#NAME}``
replaced by its value, ``[Setup]`` as ``Key=Value`` directives (the last one wins) and every
other section as entries of ``Param: value;`` pairs. Directives passed on the command line
(``/DAppVersion=…``) can be given as ``defines``. It is no preprocessor: ``#if`` branches
are not chosen, which the scripts checked here do not need.

``spec_output`` reads a spec's ``EXE(name=…)`` and ``COLLECT(name=…)``: the program's file
name and the folder under ``dist/`` the one-folder bundle is written to.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

_DEFINE = re.compile(r'#define\s+(\w+)\s+"([^"]*)"')
_SECTION = re.compile(r"\[(\w+)\]")
_PARAM = re.compile(r'\s*(\w+)\s*:\s*("(?:[^"]|"")*"|[^;]*)\s*(?:;|$)')


def _split_entry(line: str) -> dict[str, str]:
    """``Name: "{app}\\x"; Flags: a b`` → {"Name": "{app}\\x", "Flags": "a b"}."""
    entry: dict[str, str] = {}
    position = 0
    while position < len(line):
        match = _PARAM.match(line, position)
        if match is None or match.end() == position:
            raise ValueError(f"cannot read this entry at column {position + 1}: {line}")
        value = match.group(2).strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('""', '"')
        entry[match.group(1)] = value
        position = match.end()
    return entry


@dataclass
class InnoScript:
    text: str
    defines: dict[str, str] = field(default_factory=dict)
    setup: dict[str, str] = field(default_factory=dict)
    sections: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    directives: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str, defines: dict[str, str] | None = None) -> InnoScript:
        script = cls(text, dict(defines or {}))
        section = ""
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith(";"):
                continue
            if line.startswith("#"):
                script.directives.append(line)
                define = _DEFINE.match(line)
                if define and define.group(1) not in script.defines:
                    script.defines[define.group(1)] = define.group(2)
                continue
            line = script.expand(line)
            header = _SECTION.fullmatch(line)
            if header:
                section = header.group(1)
                script.sections.setdefault(section, [])
                continue
            if section == "Setup":
                key, _, value = line.partition("=")
                script.setup[key.strip()] = value.strip()
            elif section:
                script.sections[section].append(_split_entry(line))
        return script

    def expand(self, line: str) -> str:
        """``{#Name}`` replaced by the define's value (an unknown one stays as written)."""
        return re.sub(r"\{#(\w+)\}", lambda m: self.defines.get(m.group(1), m.group(0)), line)

    def entries(self, section: str) -> list[dict[str, str]]:
        return self.sections.get(section, [])


def _string_names(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (a spec often names its app once)."""
    names: dict[str, str] = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            names.update({target.id: node.value.value for target in node.targets if isinstance(target, ast.Name)})
    return names


def spec_output(spec: Path) -> dict[str, str]:
    """``{"EXE": program name, "COLLECT": bundle folder name}`` as the spec gives them (the
    first ``EXE``: the window's program; Windows' console ``fulfilstation-cli`` comes after)."""
    tree = ast.parse(spec.read_text(encoding="utf-8"), filename=str(spec))
    strings = _string_names(tree)
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("EXE", "COLLECT")):
            continue
        for keyword in node.keywords:
            if keyword.arg != "name":
                continue
            if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                found.setdefault(node.func.id, keyword.value.value)
            elif isinstance(keyword.value, ast.Name) and keyword.value.id in strings:
                found.setdefault(node.func.id, strings[keyword.value.id])
    return found
