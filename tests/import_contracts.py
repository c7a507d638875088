"""An import-linter contract for what import statements cannot show: code run by path.

The reference solutions are never imported by name: the grader loads
``solutions/reference.py`` of a course folder by its path. Import-linter's
graph cannot see that, so :class:`PathLoadingContract` reads every module of
the root packages and lists each call that runs code by a path or a
computed name (``importlib.util.spec_from_file_location``, ``runpy.run_path``,
``exec`` ...) outside the modules allowed to. With the package's one loader
as the only allowed module, and a ``protected`` contract on that loader,
nothing reaches ``solutions/`` except through it.

Declared in ``pyproject.toml`` and run by ``lint-imports`` (from the
repository root, which import-linter puts on ``sys.path``).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass

from importlinter import Contract, ContractCheck, fields, output

#: Calls that run code given by a path or by a string.
DEFAULT_CALLS = (
    "importlib.util.spec_from_file_location",
    "importlib.machinery.SourceFileLoader",
    "importlib.import_module",
    "importlib.__import__",
    "runpy.run_path",
    "runpy.run_module",
    "exec",
    "eval",
    "__import__",
)


@dataclass(frozen=True)
class PathLoad:
    module: str
    line: int
    call: str


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted name it stands for, from the module's imports."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def path_loads(module: str, source: str, calls) -> list[PathLoad]:
    """Every call in ``source`` whose dotted name is one of ``calls``."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, aliases)
            if name in calls:
                found.append(PathLoad(module, node.lineno, name))
    return found


class PathLoadingContract(Contract):
    """Only ``allowed_modules`` may run code by a path or a computed name.

    Options: ``allowed_modules`` (dotted names), ``forbidden_calls`` (dotted
    names of the calls that count; default :data:`DEFAULT_CALLS`)."""

    type_name = "path_loading"

    allowed_modules = fields.ListField(subfield=fields.StringField())
    forbidden_calls = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        roots = self.session_options.get("root_packages") or [
            self.session_options["root_package"]]
        calls = set(self.forbidden_calls or DEFAULT_CALLS)
        allowed = set(self.allowed_modules)
        found = []
        for module in sorted(graph.modules):
            if module in allowed or not any(module == r or module.startswith(r + ".")
                                            for r in roots):
                continue
            spec = importlib.util.find_spec(module)
            if spec is None or not spec.origin or not spec.origin.endswith(".py"):
                continue
            with open(spec.origin, encoding="utf-8") as handle:
                found += path_loads(module, handle.read(), calls)
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for load in check.metadata["found"]:
            output.print_error(f"{load.module}:{load.line} calls {load.call}", bold=False)
            output.new_line()
        output.print(f"Load code by path only in: {', '.join(self.allowed_modules)}.")
