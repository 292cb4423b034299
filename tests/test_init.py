"""The kit's table of contents: every public name resolves, cheaply, to the right object."""

from __future__ import annotations

import importlib
import pkgutil
import types

import kit


def test_every_public_name_resolves_and_is_not_a_module():
    """A function named like its module (kit.feedback) must stay the function after imports."""
    for info in pkgutil.walk_packages(kit.__path__, "kit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    for name in kit.__all__:
        value = getattr(kit, name)
        assert not isinstance(value, types.ModuleType), f"kit.{name} is a module, not the API"


def test_every_public_function_has_a_docstring_with_an_example():
    for name in kit.__all__:
        value = getattr(kit, name)
        if callable(value) and not isinstance(value, type) and name != "UNKNOWN":
            assert value.__doc__ and ">>>" in value.__doc__, f"kit.{name} lacks an example"
