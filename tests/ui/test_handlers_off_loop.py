"""Read from the source: no state method runs database or service work on the event loop, and every
event handler that reaches the database is async and guarded (state/offload.py)."""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import reflex as rx

from dam_app.ui.state import offload

STATE_DIR = Path(__file__).resolve().parents[2] / "dam_app" / "ui" / "state"
REACHES_DB = {"_blocking", "_principal"}  # the two ways into a worker thread


def _modules() -> Iterator[tuple[ModuleType, ast.Module]]:
    for path in sorted(STATE_DIR.glob("*.py")):
        if path.stem != "__init__":
            module = importlib.import_module(f"dam_app.ui.state.{path.stem}")
            yield module, ast.parse(path.read_text())


def _state_methods() -> Iterator[tuple[ModuleType, type[rx.State], ast.FunctionDef | ast.AsyncFunctionDef]]:
    for module, tree in _modules():
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            cls = getattr(module, node.name, None)
            if isinstance(cls, type) and issubclass(cls, rx.State):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        yield module, cls, item


def _attributes(method: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(method) if isinstance(n, ast.Attribute)}


def _resolve(module: ModuleType, func: ast.expr) -> Any:
    """What a called name (`f`, `mod.f`) refers to in the module, or None (locals, `self.x`)."""
    if isinstance(func, ast.Name):
        return getattr(module, func.id, None)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id != "self":
        return getattr(getattr(module, func.value.id, None), func.attr, None)
    return None


def _opens_sessions(fn: Any) -> bool:
    try:
        return "session_scope" in inspect.getsource(fn)
    except (OSError, TypeError):
        return False


# Pure functions of values in memory, safe on the loop (no database, no Redis, no file).
PURE = {"dam_app.events.asset_topic", "dam_app.events.board_topic", "dam_app.events.visible_to"}


def _blocking_call(target: Any) -> bool:
    """A plain function outside the UI (a service), or a UI function that opens a session."""
    if inspect.isfunction(target) and f"{target.__module__}.{target.__qualname__}" in PURE:
        return False
    if not inspect.isfunction(target) or inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target):
        return False
    home = target.__module__
    if home.startswith("dam_app.ui."):
        return _opens_sessions(target)
    return home.startswith("dam_app.") and home != "dam_app.config"


def test_no_state_method_calls_the_database_or_a_service_on_the_loop() -> None:
    found = []
    for module, cls, method in _state_methods():
        for node in ast.walk(method):
            if isinstance(node, ast.Name) and node.id == "session_scope":
                found.append(f"{cls.__name__}.{method.name} opens a session")
            if isinstance(node, ast.Call) and _blocking_call(_resolve(module, node.func)):
                found.append(f"{cls.__name__}.{method.name} calls {ast.unparse(node.func)} on the loop")
    assert found == []


def test_handlers_that_reach_the_database_are_async_and_guarded() -> None:
    methods = [(cls, m, _attributes(m)) for _, cls, m in _state_methods()]
    helpers = set(REACHES_DB)
    grew = True
    while grew:  # through helpers: `_reload` -> `_fetch` -> `_blocking`
        before = len(helpers)
        helpers |= {m.name for _, m, used in methods if m.name.startswith("_") and used & helpers}
        grew = len(helpers) > before
    handlers = [(cls, m) for cls, m, used in methods if not m.name.startswith("_") and used & helpers]
    unguarded = [
        f"{cls.__name__}.{m.name}"
        for cls, m in handlers
        if not getattr(cls.event_handlers[m.name].fn, offload.GUARDED, False)
    ]
    assert unguarded == []
    names = {m.name for _, m in handlers}
    assert {"require_login", "load", "set_text", "set_query", "on_live", "receive_upload", "logout"} <= names


def test_every_call_of_an_async_state_method_is_awaited() -> None:
    """A sync method calling an async helper would drop its work silently."""
    methods = list(_state_methods())
    coroutines = {m.name for _, _, m in methods if isinstance(m, ast.AsyncFunctionDef)} | REACHES_DB
    dropped = []
    for _module, cls, method in methods:
        awaited = {id(n.value) for n in ast.walk(method) if isinstance(n, ast.Await)}
        for node in ast.walk(method):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in coroutines
                and id(node) not in awaited
            ):
                dropped.append(f"{cls.__name__}.{method.name}: {ast.unparse(node)}")
    assert dropped == []
