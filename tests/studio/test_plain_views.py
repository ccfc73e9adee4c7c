"""Plain views (issue 10): one small, explicit view per action. No view class is built with
type(), none dispatches by getattr on a name it was given, no lambdas stand in for a view's
methods, no view picks its action from the URL, and a service's errors reach a form only
through studio.forms.attach_errors."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIEW_MODULES = sorted(p for p in ROOT.glob("*/views.py") if ".venv" not in p.parts)


def _parse(path):
    return ast.parse(path.read_text(), filename=str(path))


def _where(path, node):
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def smells(path):
    """What makes a view clever rather than plain, as file:line and why."""
    tree = _parse(path)
    found = []
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "type" and len(node.args) == 3:
                found.append(f"{_where(path, node)} builds a class with type()")
            computed = len(node.args) >= 2 and not isinstance(node.args[1], ast.Constant)
            if node.func.id == "getattr" and computed:
                found.append(f"{_where(path, node)} dispatches by getattr on a computed name")
        if isinstance(node, ast.Lambda) and id(node) not in in_function:
            found.append(f"{_where(path, node)} configures with a lambda")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "post":
            names = [a.arg for a in node.args.args + node.args.kwonlyargs]
            if "action" in names:
                found.append(f"{_where(path, node)} picks its action from the URL")
        if isinstance(node, ast.Attribute) and node.attr in {"message_dict", "error_dict"}:
            found.append(f"{_where(path, node)} attaches a service's errors by hand")
        if isinstance(node, ast.FunctionDef) and node.name in {"_attach", "attach_errors"}:
            found.append(f"{_where(path, node)} has a private copy of attach_errors")
    return found


def test_there_are_views_to_check():
    names = {p.parent.name for p in VIEW_MODULES}
    assert {"shoots", "pickup", "orders", "selection", "studio"} <= names


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: p.parent.name)
def test_views_are_plain(path):
    assert smells(path) == []


@pytest.mark.parametrize(
    "source, smell",
    [
        ("CheckIn = type('CheckIn', (Base,), {})", "type()"),
        ("class V:\n    def post(self, request):\n        getattr(self, f'do_{a}')()", "getattr"),
        ("V = make(call=lambda self, shoot: None)", "lambda"),
        ("class V:\n    def post(self, request, pk, action):\n        pass", "from the URL"),
        ("def f(form, exc):\n    exc.message_dict", "by hand"),
        ("def _attach(form, exc):\n    pass", "private copy"),
    ],
)
def test_the_check_finds_each_smell(tmp_path, monkeypatch, source, smell):
    """The check can fail: each smell it looks for, written on purpose, is found."""
    module = tmp_path / "app" / "views.py"
    module.parent.mkdir()
    module.write_text(source)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert any(smell in line for line in smells(module))


def test_a_sort_key_lambda_inside_a_method_is_fine(tmp_path, monkeypatch):
    module = tmp_path / "app" / "views.py"
    module.parent.mkdir()
    module.write_text("class V:\n    def get(self):\n        sorted([], key=lambda r: r)\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert smells(module) == []
