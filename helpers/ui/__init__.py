"""The widget apps of the course: each wires ipywidgets to the pure core and keeps its state on
the app object, so a test can build it, set values, click buttons and read the result.

Import the app a lesson needs, e.g. `from helpers.ui.explorer import ExplorerApp`.
"""
