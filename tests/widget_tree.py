"""Walking a widget app's tree in headless tests (what the browser would show, without one)."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """`widget` and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)
