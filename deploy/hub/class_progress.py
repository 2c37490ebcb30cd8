"""The trainer's page on the hub: the class summary at /services/class-progress/.

A JupyterHub-managed service on the pattern of JupyterHub's `examples/service-whoami`: a tornado
handler behind Hub OAuth. The hub grants `access:services!service=class-progress` only to the
trainers' role, so a trainee is refused (403) before this code runs. The page shows the same rows
as notebooks/trainer/class_summary.ipynb (helpers.course.trainer), read fresh on every visit.

`page(folder)` is plain Python, so tests can render it without a hub.
"""

from __future__ import annotations

import os
import signal
from html import escape
from pathlib import Path

from helpers.course.trainer import (
    TrainerError,
    bar_chart_svg,
    class_line,
    lesson_quiz_percents,
    read_folder,
    summary_rows,
)
from helpers.course.workspace import lessons
from helpers.strings import t

STYLE = """
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 12px 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
th { background: #f3f3f3; }
.muted { color: #666; } .error { color: #d32f2f; }
"""


def page(folder: Path | str) -> str:
    """The whole HTML page for the progress files in `folder` (nothing loaded from elsewhere)."""
    parts = [f"<h1>{escape(t('hub.title'))}</h1>"]
    try:
        data = read_folder(folder)
    except TrainerError as error:
        parts.append(f'<p class="error">{escape(str(error))}</p>')
        data = None
    if data is not None and not data.records:
        parts.append(f'<p class="muted">{escape(t("trainer.empty", folder=data.folder))}</p>')
    elif data is not None:
        rows = summary_rows(data)
        head = "".join(f"<th>{escape(str(key))}</th>" for key in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row.values()) + "</tr>"
                       for row in rows)
        titles = {lesson.stem: lesson.title for lesson in lessons()}
        chart = bar_chart_svg([(titles.get(lesson, lesson), value)
                               for lesson, value in lesson_quiz_percents(data)],
                              t("trainer.chart_quiz"), width=720)
        parts += [f'<p class="summary">{escape(class_line(data))}</p>',
                  f'<table class="class-table"><tr>{head}</tr>{body}</table>', chart]
    if data is not None and data.problems:
        parts.append(f"<h2>{escape(t('trainer.problems_title'))}</h2>")
        parts += [f'<p class="error">{escape(t("trainer.problem_item", file=p.file, reason=p.reason))}</p>'
                  for p in data.problems]
    parts.append(f'<p class="muted">{escape(t("hub.refresh_note"))}</p>')
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(t('hub.title'))}</title><style>{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def main() -> None:
    from urllib.parse import urlparse

    from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
    from jupyterhub.utils import url_path_join
    from tornado.ioloop import IOLoop
    from tornado.web import Application, RequestHandler, authenticated

    folder = os.environ.get("DOUDIAN_COURSE_PROGRESS", "/srv/doudian-course/progress")

    class ClassHandler(HubOAuthenticated, RequestHandler):
        @authenticated
        def get(self) -> None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.write(page(folder))

    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    app = Application([
        (prefix, ClassHandler),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
    ], cookie_secret=os.urandom(32))
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app.listen(url.port, url.hostname)
    # The hub stops a service with SIGINT; a child may inherit it ignored (then the hub waits
    # its full timeouts, half a minute): take the default back, which ends the process at once.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    IOLoop.current().start()


if __name__ == "__main__":
    main()
