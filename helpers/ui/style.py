"""Shared CSS of the widget apps, written with JupyterLab's `--jp-` variables so the apps read
well in the light and the dark theme."""

from __future__ import annotations

import ipywidgets as widgets

CSS = """
.explorer, .quiz {
  font-family: var(--jp-ui-font-family), "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
  color: var(--jp-ui-font-color1);
}
.explorer-state {
  border-left: 4px solid var(--jp-brand-color1);
  background: var(--jp-layout-color2);
  padding: 4px 10px;
  margin: 4px 0;
}
.explorer-state .status { font-size: 1.25em; font-weight: bold; color: var(--jp-brand-color1); }
.explorer-group-title { color: var(--jp-ui-font-color2); font-size: 0.9em; margin-top: 4px; }
.explorer-message .ok, .quiz-feedback .ok,
.explorer-message .error, .quiz-feedback .error {
  border: 1px solid var(--jp-border-color2);
  background: var(--jp-layout-color1);
  padding: 4px 8px;
}
.explorer-message .ok, .quiz-feedback .ok { color: var(--jp-success-color1); }
.explorer-message .error, .quiz-feedback .error { color: var(--jp-error-color1); }
.explorer-log table { border-collapse: collapse; font-size: 0.9em; }
.explorer-log th, .explorer-log td {
  border-bottom: 1px solid var(--jp-border-color2);
  padding: 2px 8px;
  text-align: left;
}
.explorer-muted { color: var(--jp-ui-font-color2); }
.quiz-question { border-top: 1px solid var(--jp-border-color2); padding-top: 6px; margin-top: 6px; }
.quiz-score { font-weight: bold; }
.coach-warning {
  border-left: 4px solid var(--jp-warn-color1);
  background: var(--jp-layout-color2);
  padding: 4px 10px;
  margin: 4px 0;
}
.coach-warning .coach-title { font-weight: bold; color: var(--jp-warn-color1); }
"""


def style_widget() -> widgets.HTML:
    """The CSS as a <style> widget; every app carries one, so it works alone (repeats are harmless)."""
    return widgets.HTML(f"<style>{CSS}</style>")
