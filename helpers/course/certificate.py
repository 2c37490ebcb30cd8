"""The certificate of a passed capstone: one self-contained, printable HTML file.

Everything is inline (CSS with an `@media print` block, a CJK font stack, no external link or
script), so the file opens the same on any computer, offline, and prints on one A4 page. The
trainee's name is HTML-escaped: whatever is typed, it is shown as text. Invisible direction
controls are dropped from it and it sits in a `<bdi>`, so an Arabic or Hebrew name reads right and
no name can reverse the rest of the page; a name longer than MAX_NAME_CHARS is refused with a
message, and a long one wraps, so the page stays one A4 page.

    path = write_certificate("林小敏", shift.report())     # in the progress folder
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from html import escape
from pathlib import Path

from ..engine.model import SHANGHAI
from ..engine.policy import load_policy
from ..errors import os_reason
from ..lessons.capstone import Report
from ..strings import t
from .progress import default_folder, file_stem, normalise_name

MAX_NAME_CHARS = 40
# Embeddings, overrides, isolates and marks: invisible, and able to reorder what follows.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

FONTS = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif'

CSS = """
@page { size: A4 landscape; margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3efe6; color: #222; font-family: FONTS; }
.certificate {
  max-width: 960px; margin: 24px auto; padding: 48px 64px; background: #fffdf8;
  border: 10px double #b8860b; text-align: center;
}
.course { letter-spacing: 0.3em; color: #8a6d1d; font-size: 18px; }
h1 { font-size: 44px; letter-spacing: 0.5em; margin: 12px 0 28px; }
.name { font-size: 32px; font-weight: bold; border-bottom: 2px solid #b8860b; padding: 0 24px;
        overflow-wrap: anywhere; }
.body { font-size: 18px; line-height: 2; margin: 24px auto; max-width: 760px; text-align: left; }
table { margin: 16px auto; border-collapse: collapse; min-width: 420px; font-size: 16px; }
th, td { border-bottom: 1px solid #d8c9a3; padding: 6px 18px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.shop { font-size: 22px; font-weight: bold; margin-top: 6px; }
.signatures { display: flex; justify-content: space-between; gap: 32px; margin-top: 36px;
              font-size: 16px; text-align: left; }
.signatures .line { display: inline-block; min-width: 180px; border-bottom: 1px solid #222;
                    height: 1.4em; vertical-align: bottom; }
.number { font-variant-numeric: tabular-nums; }
.footer { margin-top: 20px; font-size: 12px; color: #666; }
.hint { font-size: 12px; color: #666; margin: 8px; }
@media print {
  body { background: #fff; }
  /* One A4 page whatever the name: tighter spacing than on screen. */
  .certificate { margin: 0; max-width: none; border-color: #000; break-inside: avoid;
                 padding: 20px 40px; }
  h1 { font-size: 36px; margin: 4px 0 12px; }
  .body { line-height: 1.7; margin: 12px auto; }
  table { margin: 8px auto; font-size: 14px; }
  th, td { padding: 3px 14px; }
  .signatures { margin-top: 18px; }
  .footer { margin-top: 8px; }
  .hint { display: none; }
}
""".replace("FONTS", FONTS)


def _date_text(day: date) -> str:
    return t("certificate.date", year=day.year, month=day.month, day=day.day)


def certificate_name(name: str) -> str:
    """The name as it goes on the certificate: no direction or other control characters,
    whitespace collapsed; ValueError when nothing is left or it is too long for the page."""
    name = BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", name))
    name = " ".join("".join(c for c in name if unicodedata.category(c) != "Cc").split())
    if not name:
        raise ValueError(t("certificate.no_name"))
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(t("certificate.name_too_long", length=len(name), limit=MAX_NAME_CHARS))
    return name


def certificate_number(name: str, report: Report, day: date) -> str:
    """The certificate's number, e.g. 「20261201-7F3A2C」: the day and a digest of the trainee, the
    shift, the score and the day, so the trainer's class summary can find whose it is (it is kept
    in the trainee's progress file) and the same certificate written twice keeps its number."""
    key = "|".join((normalise_name(certificate_name(name)), report.shift, str(report.score), day.isoformat()))
    return f"{day:%Y%m%d}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:6].upper()}"


def certificate_html(name: str, report: Report, day: date, number: str = "", shop: str | None = None) -> str:
    """The certificate as one HTML document (nothing external). `shop` defaults to the shop's
    name in the rules file; `number` to `certificate_number`."""
    number = number or certificate_number(name, report, day)
    shop = load_policy().shop if shop is None else shop
    name = certificate_name(name)
    if not report.passed:
        raise ValueError(t("certificate.not_passed", percent=report.percent, pass_score=report.pass_score))
    shown = escape(name)
    rows = "".join(
        f"<tr><td>{escape(s.title)}</td><td class=\"num\">{s.earned} / {s.total}</td>"
        f"<td class=\"num\">{round(100 * s.earned / s.total) if s.total else 0}%</td></tr>"
        for s in report.by_lesson)
    body = escape(t("certificate.body", name="\0", date=_date_text(day), shift=report.title,
                    score=report.score, total=report.total, percent=report.percent,
                    pass_score=report.pass_score)).replace("\0", f'<bdi class="name">{shown}</bdi>')
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("certificate.html_title", name=name))}</title>
<style>{CSS}</style>
</head>
<body>
<p class="hint">{escape(t("certificate.print_hint"))}</p>
<main class="certificate">
<div class="course">{escape(t("certificate.course"))}</div>
{f'<div class="shop">{escape(shop)}</div>' if shop else ""}
<h1>{escape(t("certificate.title"))}</h1>
<p class="body">{body}</p>
<table>
<thead><tr><th>{escape(t("certificate.col_lesson"))}</th><th>{escape(t("certificate.col_score"))}</th>
<th>{escape(t("certificate.col_percent"))}</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<div class="signatures">
<div>{escape(t("certificate.signature"))}<span class="line"></span></div>
<div>{escape(t("certificate.number"))}<span class="number">{escape(number)}</span></div>
</div>
<div class="footer">{escape(t("certificate.footer"))}</div>
</main>
</body>
</html>
"""


def certificate_folder() -> Path:
    """Where certificates go by default: beside the progress files."""
    return default_folder() / "certificates"


def write_certificate(name: str, report: Report, folder: Path | str | None = None,
                      day: date | None = None, number: str = "", shop: str | None = None) -> Path:
    """Write the certificate and return its path (ValueError when not passed or no name)."""
    day = day or datetime.now(SHANGHAI).date()
    html = certificate_html(name, report, day, number, shop)
    name = certificate_name(name)
    folder = Path(folder) if folder is not None else certificate_folder()
    path = folder / f"certificate-{file_stem(name)}-{day:%Y%m%d}.html"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as error:
        raise OSError(t("certificate.cannot_write", folder=folder, error=os_reason(error))) from error
    return path
