"""The rules and data files edited by hand: every bad edit gives one Chinese message naming the
file, the line and the key, with a valid value; nothing half-read is used. One test per class."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import DataFileError, PolicyError, load_policy, load_products, load_suppliers
from helpers.engine.policy import parse_policy
from helpers.paths import PROJECT_ROOT, data_path
from tests.budget import around_the_engine

TEXT = data_path("policy.toml").read_text(encoding="utf-8")
SUPPLIERS = data_path("suppliers.csv").read_text(encoding="utf-8")
PRODUCTS = data_path("products.csv").read_text(encoding="utf-8")


def line_of(fragment: str) -> int:
    """The line of policy.toml where `fragment` first stands (the messages count from 1)."""
    return TEXT[: TEXT.index(fragment)].count("\n") + 1


def policy_error(*edit: str) -> str:
    with pytest.raises(PolicyError) as caught:
        parse_policy(TEXT.replace(*edit, 1))
    return str(caught.value)


def test_a_missing_or_unreadable_file_is_named_in_chinese(tmp_path):
    with pytest.raises(PolicyError, match=r"^policy.toml：找不到这个文件"):
        load_policy(tmp_path / "policy.toml")
    (tmp_path / "products.csv").mkdir()
    with pytest.raises(DataFileError, match=r"^products.csv：读不了这个文件.*这是一个文件夹，不是文件"):
        load_products(tmp_path / "products.csv")


def test_encodings_notepad_saves_are_read(tmp_path):
    for name, data in (("bom.toml", b"\xef\xbb\xbf" + TEXT.encode()), ("gbk.toml", TEXT.encode("gb18030")),
                       ("crlf.toml", TEXT.replace("\n", "\r\n").encode())):
        (tmp_path / name).write_bytes(data)
        assert load_policy(tmp_path / name).deadlines["merchant_answer"].hours == 48
    (tmp_path / "latin.toml").write_bytes("# Régles du magasin ÿ\n".encode("latin-1"))
    with pytest.raises(PolicyError, match="latin.toml：文件的编码认不出来.*正确的写法：.*UTF-8"):
        load_policy(tmp_path / "latin.toml")


def test_a_syntax_error_names_its_line_in_chinese():
    message = policy_error('name = "拒签后退款"', "name = 拒签后退款")
    line = line_of('name = "拒签后退款"')
    assert message.startswith(f"policy.toml 第 {line} 行：第 8 列：")
    assert "值写法不对" in message and "英文双引号" in message and "Invalid" not in message


@pytest.mark.parametrize("edit, key, shown", [
    (("auto_audit = 1 ", "auto_audit = true "), "[strategies.unshipped_auto_refund] auto_audit",
     "现在是 true"),
    (("enabled = true\n", 'enabled = "yes"\n'), "[strategies.unshipped_auto_refund] enabled", '现在是 "yes"'),
    (("hours = 48", 'hours = "48"'), "[deadlines.merchant_answer] hours", '现在是 "48"'),
    (('label = "商家处理售后申请"', 'label = ""'), "[deadlines.merchant_answer] label", "不能为空"),
])
def test_a_value_of_the_wrong_type_is_refused(edit, key, shown):
    message = policy_error(*edit)
    assert f"第 {line_of(edit[0])} 行「{key}」" in message
    assert shown in message and "正确的写法" in message


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "-1", "0", "1e9"])
def test_a_number_out_of_range_is_refused(value):
    message = policy_error("hours = 48", f"hours = {value}")
    where = f"第 {line_of('hours = 48')} 行「[deadlines.merchant_answer] hours」"
    assert f"{where}：{value} 不在允许的范围内" in message
    assert "0 到 8760 之间的数" in message
    assert "不在允许的范围内" in policy_error("sms_notices_per_case = 3", "sms_notices_per_case = -3")


def test_a_missing_table_or_key_is_named():
    start = TEXT.index("[deadlines.merchant_answer]")
    without = TEXT[:start] + TEXT[TEXT.index("[deadlines.buyer_ship_back]"):]
    with pytest.raises(PolicyError, match=r"「\[deadlines.merchant_answer\]」：缺少这一节。正确的写法"):
        parse_policy(without)
    assert "「[limits] sms_notices_per_case」：缺少这一项" in policy_error("sms_notices_per_case = 3", "")
    assert "缺少这一节" in policy_error("[strategies.auto_agree_return]", "[strategies.other]")


def test_a_code_that_names_nothing_is_refused():
    assert "auto_audit」：99 不是平台的自动审核方式代码" in policy_error("auto_audit = 1 ",
                                                              "auto_audit = 99 ")
    assert "status」：5 不是售后状态码" in policy_error("status = 6", "status = 5")
    assert "这个时限属于「待商家同意」" in policy_error("status = 6", "status = 8")


@pytest.fixture
def files(tmp_path):
    """A folder with the course's suppliers.csv and products.csv, to edit."""
    def write(suppliers: str = SUPPLIERS, products: str = PRODUCTS, encoding: str = "utf-8"):
        (tmp_path / "suppliers.csv").write_bytes(suppliers.encode(encoding))
        (tmp_path / "products.csv").write_bytes(products.encode(encoding))
        return tmp_path
    return write


def csv_error(folder, which: str = "products") -> str:
    with pytest.raises(DataFileError) as caught:
        if which == "products":
            load_products(folder / "products.csv")
        load_suppliers(folder / "suppliers.csv")
    return str(caught.value)


def test_duplicate_ids_are_refused(files):
    copy = SUPPLIERS + "S01,假冒的上家,张**,0579-85559999,浙江省,金华市,义乌市,别处 1 号仓库\n"
    assert csv_error(files(suppliers=copy), "suppliers") == (
        "suppliers.csv 第 7 行「上家编号」：编号「S01」和第 2 行重复。正确的写法：每个编号只出现一次")
    again = PRODUCTS + "P01,又一个,S01,9.90\n"
    assert "「商品编号」：编号「P01」和第 2 行重复" in csv_error(files(products=again))
    extra = TEXT + '\n[deadlines.again]\nstatus = 6\nlabel = "再来一个"\nhours = 24\n'
    with pytest.raises(PolicyError, match=r"again\] status」：售后状态 6 已经有时限 \[deadlines.merchant_"):
        parse_policy(extra)


def test_a_product_of_an_unknown_supplier_is_refused(files):
    message = csv_error(files(products=PRODUCTS.replace("P10,儿童魔术贴凉鞋,S05", "P10,儿童魔术贴凉鞋,S09")))
    assert message.startswith("products.csv 第 11 行「上家编号」：上家编号「S09」在 suppliers.csv 里找不到")
    assert "S01、S02、S03、S04、S05" in message


@pytest.mark.parametrize("price", ["-39.90", "0", "12,00", "nan", "inf", "1e3", "¥39.90", "39.999"])
def test_a_price_that_is_not_yuan_is_refused(files, price):
    message = csv_error(files(products=PRODUCTS.replace("39.90", f'"{price}"', 1)))
    assert f"products.csv 第 2 行「单价(元)」：「{price}」不是有效的价格" in message and "39.90" in message


def test_an_address_the_lessons_would_teach_wrong_is_refused(files):
    assert "第 3 行「电话」：「020-8555」不是有效的电话号码" in csv_error(
        files(suppliers=SUPPLIERS.replace("020-85550202", "020-8555")), "suppliers")
    assert "「省」：「广东」不是省级行政区的全称" in csv_error(
        files(suppliers=SUPPLIERS.replace(",广东省,", ",广东,")), "suppliers")


def test_a_csv_of_the_wrong_shape_is_refused(files):
    assert "第 1 行：缺少列：单价(元)" in csv_error(files(products=PRODUCTS.replace("单价(元)", "价格")))
    blank = PRODUCTS.replace("加厚保温杯 500ml", " ")
    assert "第 3 行「商品名称」：不能为空" in csv_error(files(products=blank))
    assert "第 2 行：这一行比列名多出 1 个值" in csv_error(files(products=PRODUCTS.replace("39.90", "39,90")))
    assert "第 1 行：这些列出现了不止一次：电话" in csv_error(
        files(suppliers=SUPPLIERS.replace("电话,", "电话,电话,", 1)), "suppliers")
    folder = files(products=PRODUCTS.replace("\n", "\r\n") + "\n\n", encoding="gb18030")
    assert load_products(folder / "products.csv")["P01"].price_fen == 3990  # GBK, CRLF, blank tail


# ---- every lesson: one line, not a traceback -----------------------------------------------

def first_code_cells() -> list[tuple[str, str]]:
    cells = []
    for path in sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")):
        code = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        cells.append((path.stem, "".join(code[0]["source"])))
    return cells


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    import helpers.errors

    assert helpers.errors.install_handler()
    return shell


@pytest.mark.parametrize("lesson, code", first_code_cells())
def test_every_lesson_shows_a_bad_edit_as_one_line(lesson, code, shell, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(data_path(), data)
    (data / "policy.toml").write_text(TEXT.replace("hours = 48", "hours = inf", 1), encoding="utf-8")
    monkeypatch.setenv("DOUDIAN_COURSE_DATA", str(data))
    result = shell.run_cell(code)
    out = capsys.readouterr()
    if lesson.startswith("05"):  # its first cell reads the review rules only
        assert result.success
        return
    assert isinstance(result.error_in_exec, DataFileError)
    shown = (out.out + out.err).strip()
    assert shown == (f"✗ policy.toml 第 {line_of('hours = 48')} 行「[deadlines.merchant_answer] hours」："
                     "inf 不在允许的范围内。正确的写法：0 到 8760 之间的数，例如 hours = 48")


# ---- any edit: a valid policy or one DataFileError, nothing in between ----------------------

VALUE_LINES = [i for i, line in enumerate(TEXT.splitlines()) if "=" in line and not line.startswith("#")]
ODD_VALUES = ["inf", "nan", "-inf", "-1", "0", "1e400", "1e9", "true", "false", '"48"', '""', "[1, 2]",
              "{a = 1}", "1.5", "99", "9999999999999999999999", "2026-05-03", '"\u202e"', "'x'"]


@around_the_engine()
@given(st.sampled_from(VALUE_LINES), st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=12)),
       st.booleans())
def test_any_one_line_edit_gives_a_policy_or_one_message(line, value, delete):
    lines = TEXT.splitlines()
    key = lines[line].split("=", 1)[0]
    lines[line] = "" if delete else f"{key}= {value}"
    try:
        policy = parse_policy("\n".join(lines))
    except PolicyError as error:
        assert str(error).startswith("policy.toml") and "\n" not in str(error)
        return
    for deadline in policy.deadlines.values():  # what the lessons then compute with
        assert 0 < deadline.hours <= 8760 and isinstance(deadline.example, bool)
        _ = deadline.duration
    assert all(isinstance(s.enabled, bool) for s in policy.strategies.values())


@around_the_engine()
@given(st.integers(min_value=1, max_value=10), st.integers(min_value=0, max_value=3),
       st.one_of(st.sampled_from(["", " ", "S09", "S01", "-1", "1e3", "nan", "12,00", '"a,b"', "\ufeff"]),
                 st.text(max_size=8)))
def test_any_one_cell_edit_gives_products_or_one_message(tmp_path_factory, row, column, value):
    folder = tmp_path_factory.mktemp("cells")
    lines = PRODUCTS.splitlines()
    cells = lines[row].split(",")
    cells[column] = value
    lines[row] = ",".join(cells)
    (folder / "products.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "suppliers.csv").write_text(SUPPLIERS, encoding="utf-8")
    try:
        products = load_products(folder / "products.csv")
    except DataFileError as error:
        assert str(error).startswith("products.csv")
        return
    suppliers = load_suppliers(folder / "suppliers.csv")
    assert all(p.price_fen > 0 and p.supplier_id in suppliers for p in products.values())
