"""Two languages: the en catalog mirrors zh-CN key for key, and `set_language` switches everything.

zh-CN is the default and the reference: every `data/strings/zh-CN/<area>.toml` has an
`en/<area>.toml` with the same keys and, per key, the same `{placeholders}`. The platform code
labels keep their Chinese name in code (`member.zh`); in English `member.label` comes from
`en/codes.toml`, which has exactly one entry per enum member.
"""

from __future__ import annotations

import html
import importlib
import re
import string
import tomllib
from pathlib import Path

import ipywidgets as widgets
import pytest

import helpers
from helpers import strings
from helpers.engine.codes import (
    Actor,
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    ClockEvent,
    Labeled,
    MerchantAction,
    ParcelState,
    RefundStatus,
    Stage,
    Status,
)
from helpers.engine.machine import OrderEvent
from helpers.engine.policy import Strategy
from helpers.strings import DEFAULT_LANGUAGE, CatalogError, catalog, t
from tests.widget_tree import walk as _walk

STRINGS = Path(__file__).resolve().parent.parent / "data" / "strings"
ZH = STRINGS / DEFAULT_LANGUAGE
EN = STRINGS / "en"
AREAS = sorted(path.stem for path in ZH.glob("*.toml"))

# The enums the brief names; any other Labeled enum found in the modules below is checked too.
REQUIRED_ENUMS = (AfterSaleType, Status, RefundStatus, MerchantAction, BuyerAction, ParcelState,
                  ClockEvent, Stage, AutoAuditKind, Actor, OrderEvent, Strategy)
ENUM_MODULES = ("helpers.engine.codes", "helpers.engine.machine", "helpers.engine.policy",
                "helpers.export.columns")
MOVE_ENUMS = (MerchantAction, BuyerAction, ParcelState, ClockEvent, OrderEvent)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# A platform term in brackets, e.g. "(待商家同意)" or "(拒绝退货（二审）)": no Latin letters inside.
PLATFORM_TERM = re.compile(r"\([^()A-Za-z]*\)")


@pytest.fixture(autouse=True)
def zh_after_each_test():
    """Every test here ends in zh-CN, whatever it switched to and however it ended."""
    yield
    strings.set_language(DEFAULT_LANGUAGE)


def _flatten(prefix: str, table: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(f"{prefix}.{key}", value))
        else:
            out[f"{prefix}.{key}"] = value
    return out


def _area(folder: Path, area: str) -> dict[str, str]:
    path = folder / f"{area}.toml"
    return _flatten(area, tomllib.loads(path.read_text(encoding="utf-8")))


def _placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text)
            if name is not None}


def _labeled_enums() -> dict[str, type[Labeled]]:
    for module in ENUM_MODULES:
        importlib.import_module(module)
    found: dict[str, type[Labeled]] = {}
    todo = list(Labeled.__subclasses__())
    while todo:
        enum = todo.pop()
        assert found.setdefault(enum.__name__, enum) is enum, f"two Labeled enums named {enum.__name__}"
        todo += enum.__subclasses__()
    return found


def _without_platform_terms(text: str) -> str:
    return PLATFORM_TERM.sub("", text)


# ---- (a) same areas, same keys, same placeholders ------------------------------------------------

def test_there_are_areas_to_compare():
    assert "engine" in AREAS and "explorer" in AREAS


@pytest.mark.parametrize("area", AREAS)
def test_en_area_has_the_same_keys_and_placeholders(area):
    assert (EN / f"{area}.toml").is_file(), f"data/strings/en/{area}.toml is missing"
    zh, en = _area(ZH, area), _area(EN, area)
    assert sorted(set(zh) - set(en)) == [], "keys missing in en"
    assert sorted(set(en) - set(zh)) == [], "keys in en that zh-CN does not have"
    differ = {key: (sorted(_placeholders(zh[key])), sorted(_placeholders(en[key])))
              for key in zh if _placeholders(zh[key]) != _placeholders(en[key])}
    assert differ == {}, "placeholders differ (zh-CN, en)"


def test_en_has_no_area_that_zh_lacks():
    extra = sorted(path.stem for path in EN.glob("*.toml"))
    assert sorted(set(extra) - set(AREAS) - {"codes"}) == []


def test_whole_en_catalog_loads_and_mirrors_zh():
    en = catalog("en")
    assert set(en) - {key for key in en if key.startswith("codes.")} == set(catalog(DEFAULT_LANGUAGE))


# ---- (b) one English label per enum member ------------------------------------------------------

def test_every_required_enum_is_found():
    enums = _labeled_enums()
    assert [e.__name__ for e in REQUIRED_ENUMS if enums.get(e.__name__) is not e] == []


def test_every_enum_member_has_an_english_label():
    en = catalog("en")
    missing = [f"codes.{name}.{member.name}" for name, enum in _labeled_enums().items()
               for member in enum if f"codes.{name}.{member.name}" not in en]
    assert missing == []


def test_en_codes_has_no_stale_keys():
    enums = _labeled_enums()
    stale = []
    for key in catalog("en"):
        if not key.startswith("codes."):
            continue
        parts = key.split(".")
        enum = enums.get(parts[1]) if len(parts) == 3 else None
        if enum is None or parts[2] not in enum.__members__:
            stale.append(key)
    assert stale == []


def test_code_labels_are_plain_text_and_distinct():
    strings.set_language("en")
    for enum in _labeled_enums().values():
        labels = [member.label for member in enum]
        assert len(set(labels)) == len(labels), f"{enum.__name__}: two members share a label"
        for label in labels:
            assert _placeholders(label) == set(), label
            assert not CJK.search(_without_platform_terms(label)), f"Chinese outside brackets: {label}"
    # Buttons and parse_move find a move by its label across these enums.
    moves = {}
    for enum in MOVE_ENUMS:
        for member in enum:
            other = moves.setdefault(member.label, member)
            assert other is member or other.zh == member.zh, f"{other!r} and {member!r} share a label"


# ---- (c) switching -----------------------------------------------------------------------------

def test_set_language_switches_messages_and_labels():
    assert t("engine.unknown_order", order="O9") == "找不到订单「O9」"
    assert Status.AWAIT_MERCHANT.label == "待商家同意"

    helpers.set_language("en")
    assert helpers.get_language() == "en"
    assert t("engine.unknown_order", order="O9") == "Order “O9” not found"
    assert Status.AWAIT_MERCHANT.label == "Awaiting merchant (待商家同意)"
    assert str(Status.AWAIT_MERCHANT) == Status.AWAIT_MERCHANT.label
    assert Status.AWAIT_MERCHANT.zh == "待商家同意"

    helpers.set_language(DEFAULT_LANGUAGE)
    assert t("engine.unknown_order", order="O9") == "找不到订单「O9」"
    assert Status.AWAIT_MERCHANT.label == "待商家同意"


def test_from_label_takes_the_platform_name_in_english():
    helpers.set_language("en")
    assert AfterSaleType.from_label("退货退款") is AfterSaleType.RETURN_REFUND
    assert AfterSaleType.from_label("Return and refund (退货退款)") is AfterSaleType.RETURN_REFUND
    assert MerchantAction.from_label("同意退货申请") is MerchantAction.AGREE_RETURN
    with pytest.raises(KeyError):
        AfterSaleType.from_label("no such type")


def test_a_key_missing_in_a_language_falls_back_to_zh(tmp_path, monkeypatch):
    for language, text in ((DEFAULT_LANGUAGE, 'a = "中文"\nb = "只有中文"\n'), ("xx", 'a = "other"\n')):
        (tmp_path / "strings" / language).mkdir(parents=True)
        (tmp_path / "strings" / language / "area.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DOUDIAN_COURSE_DATA", str(tmp_path))
    catalog.cache_clear()
    try:
        strings.set_language("xx")
        assert (t("area.a"), t("area.b")) == ("other", "只有中文")
    finally:
        strings.set_language(DEFAULT_LANGUAGE)
        catalog.cache_clear()


# ---- (d) an unknown language -------------------------------------------------------------------

def test_an_unknown_language_is_refused_and_nothing_changes():
    with pytest.raises(CatalogError, match="找不到语言「tlh」"):
        helpers.set_language("tlh")
    assert helpers.get_language() == DEFAULT_LANGUAGE
    assert Status.AWAIT_MERCHANT.label == "待商家同意"


# ---- (e) a widget app in English ----------------------------------------------------------------



def _visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _assert_english(texts: list[str], data: set[str] = frozenset()) -> None:
    """Each text reads English: no Chinese outside bracketed platform terms and course data."""
    for text in texts:
        rest = _without_platform_terms(text)
        for value in sorted(data, key=len, reverse=True):
            rest = rest.replace(value, "")
        # Hard-coded in Python, not in the catalog: helpers/ui/diagram.py:254 and
        # helpers/engine/machine.py:184 join move labels with "、".
        rest = rest.replace("、", ", ")
        assert re.search(r"[A-Za-z]{3}", text), f"not English: {text!r}"
        assert not CJK.search(rest), f"Chinese outside platform terms: {text!r}"


def test_explorer_app_in_english():
    from helpers.engine.scenarios import SAMPLE_ORDER
    from helpers.ui.diagram import ExplorerApp

    helpers.set_language("en")
    app = ExplorerApp()
    # Course data stays Chinese in every language: items, suppliers, the masked buyer.
    data = {p.name for p in helpers.load_products().values()}
    data |= {s.name for s in app.suppliers.values()} | {SAMPLE_ORDER.buyer}

    descriptions = [w.description for w in _walk(app.widget)
                    if isinstance(w, widgets.Button | widgets.Checkbox | widgets.Dropdown)]
    assert "Start over" in descriptions
    assert "Agree to return (同意退货申请)" in descriptions
    _assert_english(descriptions)
    _assert_english([label for label, _type in app.type_picker.options])

    def state_texts() -> list[str]:
        return [_visible_text(box.value) for box in (
            app.order_html, app.state_html, app.clock_html, app.next_html, app.message_html,
            app.log_html)]

    assert "Awaiting merchant (待商家同意)" in _visible_text(app.state_html.value)
    _assert_english(state_texts(), data)
    titles = [w.value for w in _walk(app.widget)
              if isinstance(w, widgets.HTML) and "explorer-group-title" in w.value]
    assert len(titles) >= 4
    _assert_english([_visible_text(title) for title in titles])

    app.button("Agree to return (同意退货申请)").click()
    assert app.ok and app.case.status is Status.AWAIT_BUYER_RETURN
    assert "Awaiting buyer's return (待买家退货)" in _visible_text(app.state_html.value)
    _assert_english(state_texts(), data)

    app.button("Refuse return, 2nd review (拒绝退货（二审）)").click()
    assert app.ok is False and "is not allowed in status" in app.message
    _assert_english(state_texts(), data)


# ---- translations that must keep working ------------------------------------------------------

def test_english_privacy_drill_messages_lose_the_buyers_data_completely():
    """The en templates keep the order's Chinese buyer labels (收件人：…) so the checker finds names;
    masking is not enough, deleting leaves what the upstream needs."""
    from helpers.engine.privacy import mask_text
    from helpers.lessons.practice import delete_personal_data, privacy_check, privacy_messages

    helpers.set_language("en")
    for message in privacy_messages():
        assert "order" in message.text.lower()
        assert not privacy_check(message, mask_text(message.text)).clean
        deleted = delete_personal_data(message.text)
        check = privacy_check(message, deleted)
        assert check.clean, (message.key, check, deleted)


def test_english_sms_of_the_lesson_form_passes_the_privacy_check():
    from helpers.lessons.shipped import (
        LESSON_ORDER,
        build_sms,
        find_supplier,
        form_for_supplier,
        form_problems,
    )

    helpers.set_language("en")
    supplier = find_supplier(LESSON_ORDER.product_id).supplier
    form = form_for_supplier(supplier)
    assert form_problems(form) == []
    assert build_sms(form).preview.startswith("[Chenxi Goods] Hello,")


def test_every_quiz_bank_and_its_engine_keys_work_in_english():
    from helpers.course.quiz import bank_files, engine_answer, load_bank_file

    helpers.set_language("en")
    for path in bank_files():
        bank = load_bank_file(path)
        for question in bank.questions:
            if question.scenario is not None:
                assert engine_answer(question) == question.answer, (path.name, question.id)
