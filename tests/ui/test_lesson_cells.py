"""What the checkpoint cells of lessons 01–04 used to assert, kept as tests of the apps.

The notebooks now call `checkpoint("01-1")` (a check built on the engine, in the lesson's module);
these are the old cells' assertions about the widget apps, lesson by lesson, in their order.
"""

from __future__ import annotations

from helpers import AfterSaleType, AutoAuditKind, Status, Strategy, load_policy
from helpers.lessons.shipped import GoodsPlace, Verdict
from helpers.ui.diagram import ExplorerApp
from helpers.ui.returns import ReturnDeskApp
from helpers.ui.shipped import ShippedApp
from helpers.ui.unshipped import RaceApp, ShopDayApp


def test_lesson_01_checkpoint_cells_hold():
    check = ExplorerApp(AfterSaleType.RETURN_REFUND, strategies=[])
    assert check.case.status is Status.AWAIT_MERCHANT
    assert "待商家同意" in check.state_html.value

    check.address_picker.value = check.order.supplier_id   # 这件商品的发货上家
    check.button("同意退货申请").click()
    assert check.ok
    assert check.case.status is Status.AWAIT_BUYER_RETURN
    assert "待买家退货" in check.state_html.value

    ship_back = load_policy().deadline_for(Status.AWAIT_BUYER_RETURN)
    assert check.case.deadline == check.desk.now + ship_back.duration
    print(f"买家要在 {ship_back.hours / 24:g} 天内寄回（示例值）")

    before = check.desk.snapshot()
    check.button("确认收到退货并退款").click()   # 货还没寄回来，不能二审
    assert check.ok is False
    assert check.desk.snapshot() == before
    assert check.case.status is Status.AWAIT_BUYER_RETURN
    print(check.message)

    wrong = ExplorerApp(AfterSaleType.RETURN_REFUND, strategies=[])
    wrong.address_picker.value = "S02"   # 广州花城服饰档口：不是这件收纳盒的上家
    wrong.button("同意退货申请").click()
    assert wrong.ok is False                              # 教练说：这是个错误
    assert wrong.case.status is Status.AWAIT_BUYER_RETURN  # 可后台照样同意了，撤不回
    print(wrong.message)

    check.button("买家寄回商品").click()
    assert check.case.status is Status.AWAIT_SECOND_REVIEW

    check.button("确认收到退货并退款").click()
    assert check.case.status is Status.SUCCESS
    assert check.case.refunded_fen == check.order.paid_fen
    assert check.possible() == []

    slow = ExplorerApp(AfterSaleType.SHIPPED_REFUND, strategies=[])
    slow.button("超过处理时限").click()
    assert slow.case.status is Status.SUCCESS
    assert slow.case.missed_deadline
    print(slow.message)

    refusal = ExplorerApp(AfterSaleType.SHIPPED_REFUND, strategies=[Strategy.REFUND_AFTER_REFUSAL])
    assert refusal.case.refusal_agreed              # 小助手已同意「拒签后退款」

    refusal.button("同意仅退款").click()             # 包裹还在路上：不能直接退
    assert refusal.ok is False and refusal.case.refunded_fen == 0

    refusal.button("买家已拒签").click()
    assert refusal.case.status is Status.SUCCESS
    assert refusal.case.refunded_fen == refusal.order.paid_fen


def test_lesson_02_checkpoint_cells_hold():
    check = ShopDayApp(auto_on=False)
    check.run_button.click()
    check.strategy.value = True
    check.run_button.click()
    off, on = check.runs

    assert off.report.requests == on.report.requests          # 同一批订单、同一批申请
    assert off.unshipped_auto == 0
    assert on.unshipped_auto == on.unshipped                  # 每一单未发货仅退款都不用点
    assert on.report.merchant_clicks < off.report.merchant_clicks
    assert on.unshipped_median_minutes < 1                   # 申请一到就退款
    assert on.report.median_minutes_to_refund < off.report.median_minutes_to_refund
    print("\n".join(check.summary_lines))

    assert off.shipped_while_waiting > on.shipped_while_waiting > 0  # 开：退款停不住上家的包裹
    assert on.report.refunds_with_goods_out == 0  # 客服及时取消拍单或拦截
    print(f"关：{off.shipped_while_waiting} 单在等待处理时被发出；开：{on.shipped_while_waiting} 单")

    small = ShopDayApp(auto_on=False)
    small.every_hours.value = 8
    small.cases_per_look.value = 4
    small.run_both_button.click()
    off_small, on_small = small.runs

    assert off_small.report.missed_deadlines > 0
    assert off_small.report.refunds_with_goods_out > 0
    assert on_small.report.missed_deadlines == 0

    first = RaceApp()
    first.button("同意售前退申请").click()            # 教练先提醒：包裹已经交给快递
    print(first.coach_box.warnings[0].text)
    first.coach_box.go_ahead_button.click()          # 不听提醒：后台照样同意
    assert first.case.status is Status.SUCCESS
    assert first.verdict.key == "goods_out"          # 钱货两失

    second = RaceApp()
    second.button("申请快递拦截").click()
    second.button("快递退回中").click()
    second.button("商家已签收").click()
    assert second.verdict.key == "clean"

    late_stop = RaceApp()
    late_stop.button("取消发货").click()
    assert late_stop.ok is False
    print(late_stop.message)

    stopped = RaceApp()
    stopped.button("申请快递拦截").click()
    stopped.button("快递退回中").click()
    assert stopped.case.status is Status.SUCCESS
    assert stopped.case.auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
    assert stopped.verdict.key == "refunded_coming_back"   # 钱已退，货在回来的路上

    late = RaceApp()
    late.button("超过处理时限").click()
    assert late.case.status is Status.SUCCESS and late.case.missed_deadline
    assert late.verdict.key == "goods_out"
    print(late.verdict.text)

    fast = RaceApp(auto_on=True)
    assert fast.case.status is Status.SUCCESS
    assert fast.case.auto is AutoAuditKind.PRE_SHIP_FAST_REFUND
    assert fast.verdict.key == "goods_out"   # 退款停不住上家的包裹
    print(fast.verdict.text)


def test_lesson_03_checkpoint_cells_hold():
    check = ShippedApp()
    check.supplier_picker.value = "S01"            # 选了另一个上家
    check.save_button.click()
    assert check.desk is None                      # 教练先提醒：还什么都没开始
    print(check.form_message)

    check.lookup_button.click()                    # 按商品查：P04 → S02
    assert check.supplier_picker.value == "S02"
    print(check.form_message)

    check.note_box.value = "急事请打 " + "139" + "12345678"
    assert check.sms.problems                      # 隐私检查发现了手机号
    assert "139****5678" in check.sms.preview      # 预览里已打码
    check.save_button.click()
    assert check.desk is None                      # 带着个人信息：教练先提醒，没保存
    print(check.form_message)

    check.note_box.value = ""                      # 删掉，再保存
    check.save_button.click()
    assert check.form_ok

    assert check.case.refusal_agreed and check.case.refunded_fen == 0
    assert check.case.auto is AutoAuditKind.ASSISTANT_AUTO_REFUSAL_REFUND

    check.button("同意仅退款").click()
    assert check.ok is False                       # 货没回来，不能提前退
    print(check.message)

    for label in ["买家已拒签", "快递退回中", "商家已签收"]:
        check.button(label).click()
    yours, at_once = check.rows
    assert yours.refunded_fen == yours.paid_fen and yours.goods is GoodsPlace.BACK
    assert yours.verdict is Verdict.SETTLED
    print("你的做法：", yours.goods.label, "·", yours.verdict.label)

    check.restart_button.click()
    check.button("买家已签收").click()
    assert check.case.type is AfterSaleType.RETURN_REFUND and check.case.refunded_fen == 0
    yours, at_once = check.rows
    assert at_once.verdict is Verdict.LOSS
    print("对照：", at_once.goods.label, "·", at_once.verdict.label)

    for label in ["同意退货申请", "买家寄回商品", "确认收到退货并退款"]:
        check.button(label).click()
    assert check.case.return_address == check.saved_form.address
    assert check.rows[0].verdict is Verdict.SETTLED
    print("你的做法：", check.rows[0].goods.label, "·", check.rows[0].verdict.label)

    other = ShippedApp()
    other.lookup_button.click()
    other.refusal_switch.value = False
    other.save_button.click()
    other.button("申请快递拦截").click()
    other.button("快递退回中").click()
    assert other.case.auto is AutoAuditKind.INTERCEPT_SUCCESS_REFUND
    assert other.rows[0].verdict is Verdict.SETTLING
    print(other.rows[0].verdict.label)

    risky = ShippedApp()
    risky.lookup_button.click()
    risky.refusal_switch.value = False
    risky.save_button.click()
    for label in ["拒绝仅退款", "买家已拒签", "快递退回中", "商家已签收"]:
        risky.button(label).click()
    assert risky.rows[0].verdict is Verdict.OWED
    print(risky.rows[0].verdict.label)


def test_lesson_04_checkpoint_cells_hold():
    check = ReturnDeskApp()
    check.button("同意退货申请").click()
    assert check.ok is False
    assert check.case.status is Status.AWAIT_MERCHANT
    assert "缺少省份" in check.check_html.value and "缺少联系电话" in check.check_html.value
    print(check.message)

    check.book_picker.value = "S01"          # 义乌晨光日用品总店：不发这件 T 恤
    check.button("同意退货申请").click()            # 教练先提醒：不是发货的上家
    assert check.case.status is Status.AWAIT_MERCHANT
    assert check.address_check.belongs_to.name == "义乌晨光日用品总店"
    assert check.supplier.name == "广州花城服饰档口"   # 商品表里，T 恤由它发货
    check.coach_box.go_ahead_button.click()          # 不听提醒：后台照样同意
    check.button("买家寄回商品").click()
    check.button("确认收到退货并退款").click()       # 教练又提醒：发货的上家没收到货
    check.coach_box.go_ahead_button.click()
    assert check.case.status is Status.SUCCESS and "钱货两失" in check.ledger_html.value
    check.restart_button.click()                     # 撤不回，只能新开一单重来

    check.book_picker.value = "S02"          # 广州花城服饰档口：正确的上家
    assert check.check().ok

    check.fields["phone"].value = "020-8555"  # 座机少了几位
    assert not check.check().ok and check.check().differs == ("phone",)

    check.fields["phone"].value = "020-85550202"
    check.fields["province"].value = ""
    assert any("缺少省份" in problem for problem in check.check().problems)

    check.fields["province"].value = "广东省"
    assert check.check().ok

    check.button("同意退货申请").click()
    check.button("买家寄回商品").click()
    assert check.case.status is Status.AWAIT_SECOND_REVIEW
    assert check.case.refunded_fen == 0                         # 寄回 ≠ 退款

    check.button("确认收到退货并退款").click()
    assert check.case.status is Status.SUCCESS
    assert check.case.refunded_fen == check.order.paid_fen
    assert check.case.return_address == check.supplier.address  # 货直接回到发货的上家

    check.type_picker.value = AfterSaleType.EXCHANGE
    for label in ("同意换货申请", "买家寄回商品", "确认收到换货并补发新品"):
        check.button(label).click()
    assert check.case.status is Status.AWAIT_BUYER_RECEIVE

    check.button("买家确认收到换货").click()
    assert check.case.status is Status.EXCHANGE_SUCCESS
    assert check.case.refunded_fen == 0

    auto = ReturnDeskApp(auto_agree=True)
    assert auto.case.status is Status.AWAIT_BUYER_RETURN
    assert auto.case.return_address == auto.supplier.address
    print(auto.message)
