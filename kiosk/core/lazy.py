"""A module bound to a name now and imported when the name is first used: what is needed
only later stays off a start's path (``kiosk run`` paints its start screen first).

Import it for the type checker as usual, and bind the lazy one at run time::

    if TYPE_CHECKING:
        from kiosk.core import events as ev
    else:
        ev = lazy("kiosk.core.events", globals(), "ev")

The first attribute read imports the module (importlib: one import, also when two threads
read at once) and puts it in the binding's place, so later reads cost nothing extra.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for module ``name`` in ``namespace[binding]`` until first used."""

    def __init__(self, name: str, namespace: dict[str, Any], binding: str) -> None:
        self._name, self._namespace, self._binding = name, namespace, binding

    def __getattr__(self, attribute: str) -> Any:
        module = import_module(self._name)
        if self._namespace.get(self._binding) is self:
            self._namespace[self._binding] = module
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy(name: str, namespace: dict[str, Any], binding: str) -> LazyModule | ModuleType:
    """Module ``name`` for ``namespace[binding]``: itself when it is imported already."""
    import sys

    return sys.modules.get(name) or LazyModule(name, namespace, binding)
