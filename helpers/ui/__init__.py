"""The widget apps of the course: each wires ipywidgets to the pure core and keeps its state on
the app object, so a test can build it, set values, click buttons and read the result.

The top layer: one app module per lesson module, with the same name (`ui/shipped.py` shows
`lessons/shipped.py`; `ui/data_review.py` shows `export/`), plus the course's own panels
(`quiz`, `progress`, `trainer`) and what they share (`base`, `style`). Only this package and
the notebooks import ipywidgets.

Import the app a lesson needs, e.g. `from helpers.ui.diagram import ExplorerApp`.
"""
