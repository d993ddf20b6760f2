"""Every documented public name imports from its documented path and accepts its documented
signature; every deliberate difference is listed (here and on the docs page)."""

from __future__ import annotations

import ast
import importlib
import inspect
import math
import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from ._differences import ABSENT, DIFFERENCES
from ._documented import DOCUMENTED

DOCS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "differences.md"
_NAMESPACE = {"jnp": jnp, "jax": jax, "math": math, "float": float}


def _documented_params(signature: str) -> list[tuple[str, str, object]]:
    """(name, kind, default) of a documented signature string; default `inspect._empty`."""
    args = ast.parse(f"def f{signature}: pass").body[0].args
    out = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, defaults):
        out.append((arg.arg, "positional", _eval(default)))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append((arg.arg, "keyword", _eval(default)))
    if args.vararg is not None:
        out.append((args.vararg.arg, "varargs", inspect.Parameter.empty))
    if args.kwarg is not None:
        out.append((args.kwarg.arg, "varkw", inspect.Parameter.empty))
    return out


def _eval(node):
    if node is None:
        return inspect.Parameter.empty
    return eval(compile(ast.Expression(node), "<documented>", "eval"), _NAMESPACE)


_KIND = {
    inspect.Parameter.POSITIONAL_ONLY: "positional",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword",
    inspect.Parameter.VAR_POSITIONAL: "varargs",
    inspect.Parameter.VAR_KEYWORD: "varkw",
}


def _same_default(documented, ours) -> bool:
    if documented is inspect.Parameter.empty:
        return True  # documented code always passes it; a default of ours is harmless
    if ours is inspect.Parameter.empty:
        return False  # documented code may leave it out
    if callable(documented) and getattr(documented, "__name__", "") == "<lambda>":
        return ours is None or callable(ours)  # an identity default: None means the same
    if callable(documented) or callable(ours):
        return documented is ours
    if documented is None or ours is None or isinstance(documented, str | bool):
        return documented == ours
    try:
        return bool(np.allclose(np.asarray(documented), np.asarray(ours)))
    except (TypeError, ValueError):
        return documented == ours


def signature_problems(obj, signature: str) -> list[str]:
    """What keeps code written for `signature` from calling `obj` (empty: nothing)."""
    ours = inspect.signature(obj)
    params = [p for p in ours.parameters.values() if p.name != "self"]
    by_name = {p.name: p for p in params}
    problems = []
    documented = _documented_params(signature)
    doc_positional = [n for n, kind, _ in documented if kind == "positional"]
    our_positional = [p.name for p in params if _KIND[p.kind] == "positional"]
    if our_positional[: len(doc_positional)] != doc_positional:
        problems.append(f"positional parameters {our_positional} != documented {doc_positional}")
    for name, kind, default in documented:
        if kind in ("varargs", "varkw"):
            if not any(_KIND[p.kind] == kind for p in params):
                problems.append(f"no *{kind} parameter")
            continue
        p = by_name.get(name)
        if p is None:
            if not any(_KIND[q.kind] == "varkw" for q in params):
                problems.append(f"missing parameter {name!r}")
            continue
        if kind == "keyword" and _KIND[p.kind] not in ("keyword", "positional"):
            problems.append(f"{name!r} is not accepted by keyword")
        if kind == "keyword" and _KIND[p.kind] == "positional" and name not in ("key",):
            problems.append(f"{name!r} is positional in ours, keyword-only documented")
        if not _same_default(default, p.default):
            problems.append(f"{name!r} default {p.default!r} != documented {default!r}")
    documented_names = {n for n, _, _ in documented}
    for p in params:
        if p.name in documented_names or _KIND[p.kind] in ("varargs", "varkw"):
            continue
        if p.default is inspect.Parameter.empty:
            problems.append(f"extra required parameter {p.name!r}")
    return problems


def _id(entry) -> str:
    return f"{entry[0]}.{entry[1]}"


@pytest.mark.parametrize("entry", DOCUMENTED, ids=_id)
def test_documented_name(entry):
    module, name, signature = entry
    if (module, name) in ABSENT:
        with pytest.raises((ImportError, AttributeError)):
            getattr(importlib.import_module(module), name)
        return
    obj = getattr(importlib.import_module(module), name)
    if signature is None:
        assert inspect.isclass(obj), f"{module}.{name} should be a class"
        return
    problems = signature_problems(obj, signature)
    if (module, name) in DIFFERENCES:
        assert problems, (
            f"{module}.{name} now matches the documented signature: remove it from DIFFERENCES"
        )
    else:
        assert not problems, f"{module}.{name}: " + "; ".join(problems)


def test_every_difference_is_on_the_docs_page():
    page = DOCS_PAGE.read_text()
    documented = {(m, n) for m, n, _ in DOCUMENTED}
    for module, name in {**DIFFERENCES, **ABSENT}:
        assert (module, name) in documented, f"{module}.{name} is not a documented name"
        mentioned = re.search(rf"`([\w.]+\.)?{name}`", page)
        assert mentioned, f"docs/differences.md does not mention `{name}`"


def test_the_signature_check_can_fail():
    def f(a, b=2, *, key):
        return a

    assert signature_problems(f, "(a, b=2, *, key)") == []
    assert signature_problems(f, "(a, b=3, *, key)")  # wrong default
    assert signature_problems(f, "(a=1, b=2, *, key)")  # ours requires what may be left out
    assert signature_problems(f, "(b, a=2, *, key)")  # wrong order
    assert signature_problems(f, "(a, b=2, c=1, *, key)")  # missing parameter
    assert signature_problems(f, "(a, *, b=2, key)")  # positional vs keyword-only
