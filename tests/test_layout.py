"""The code's layout stays findable: short modules, imports at the top (the layers themselves are checked by
`lint-imports` in `make test`, from the contracts in pyproject.toml)."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "records", "bench", "tests", "scripts")
MAX_LINES = 400


def python_modules() -> list[Path]:
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *PACKAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if tracked.returncode != 0:  # not a git checkout (an unpacked archive): every file on disk
        paths = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    else:
        paths = [ROOT / line for line in tracked.stdout.splitlines() if line.endswith(".py")]
    return sorted(path for path in paths if "migrations" not in path.parts and path.exists())


def test_the_layout_is_read_from_the_checkout():
    names = {path.relative_to(ROOT).as_posix() for path in python_modules()}
    assert {"records/workflow/review.py", "records/content/registry.py", "bench/bulk.py"} <= names


@pytest.mark.parametrize("path", python_modules(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_module_is_longer_than_400_lines(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by what its parts do."


def local_imports_without_a_reason(path: Path) -> list[str]:
    """Imports inside functions whose line carries no comment saying why they are not at the top."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                statement = lines[node.lineno - 1 : node.end_lineno]
                if not any("#" in line for line in statement):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {statement[0].strip()}")
    return found


def test_function_local_imports_say_why():
    code = [path for path in python_modules() if path.relative_to(ROOT).parts[0] != "tests"]
    found = [problem for path in code for problem in local_imports_without_a_reason(path)]
    assert not found, "Import at the top of the module, or say in a comment why not:\n" + "\n".join(found)
