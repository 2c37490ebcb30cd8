"""Personal data is found and masked before it is shown or passed on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from helpers.engine.privacy import find_personal_data, mask_name, mask_phone, mask_text
from tests.budget import around_the_engine

PHONE = "139" + "12345678"  # built at run time: no full number is stored in the repo


def test_phone_masked_keeps_head_and_tail():
    assert mask_phone(PHONE) == "139****5678"
    assert mask_phone(PHONE + "-7576") == "139****5678-7576"
    assert mask_phone("0579-85550101") == "0579-85550101"  # a supplier's landline is not the buyer's


def test_name_keeps_the_surname():
    assert mask_name("张小明") == "张**"


def test_message_to_the_supplier_is_cleaned():
    message = (f"收件人：张小明，电话{PHONE}，"
               "地址广东省广州市白云区三元里大道1688号B座3楼，订单 6912345678901234567")
    kinds = [f.kind for f in find_personal_data(message)]
    assert kinds == ["name", "phone", "address"]
    cleaned = mask_text(message)
    assert "张小明" not in cleaned and PHONE not in cleaned and "1688号" not in cleaned
    assert "6912345678901234567" in cleaned  # the order number is what the supplier needs


def test_a_virtual_number_may_go_to_the_supplier():
    assert find_personal_data(f"请联系买家虚拟号 {PHONE}-7576") == []


def test_masked_values_are_not_found_again():
    assert find_personal_data("买家 138****5678 已脱敏") == []


@around_the_engine()
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       st.text(alphabet="退货请寄回上家，谢谢 ", max_size=20))
def test_no_mobile_survives_masking(number, words):
    assert number not in mask_text(words + number + words)
