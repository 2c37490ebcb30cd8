"""The state diagram of one after-sale type, as SVG text (no scripts, no external files).

The graph is not drawn from a hand-made list: `status_graph` walks the engine itself (every move
it accepts, from every state it can reach), so the picture cannot disagree with the rules.
Colours are JupyterLab CSS variables (with fallbacks), so the diagram reads in the dark theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

from ..checkpoints import Verdict, check
from ..engine.codes import AfterSaleType, BuyerAction, ClockEvent, MerchantAction, ParcelState, Status
from ..engine.machine import ActionNotAllowed, Desk, Move
from ..engine.policy import Strategy
from ..engine.scenarios import fork, possible_moves, start_case, step
from ..strings import t
from .coach import before

FONT = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif'
NODE_W, NODE_H = 128, 40
COLUMN, ROW = 270, 270
MARGIN = 24
LABEL_MOVES_PER_LINE = 2
LABEL_SIZE = 11
NOTE_SIZE = 12
MIN_WIDTH = 760


@dataclass(frozen=True)
class Edge:
    source: Status
    target: Status
    moves: tuple[Move, ...]


@dataclass(frozen=True)
class Graph:
    """Statuses a case of `type` can reach and the moves between them.

    `loops` are moves accepted without changing the status (e.g. 申请快递拦截); `conversions`
    are moves after which the case becomes another type (the buyer signs for a parcel).
    """

    type: AfterSaleType
    nodes: tuple[Status, ...]
    edges: tuple[Edge, ...]
    loops: tuple[Move, ...]
    conversions: tuple[tuple[Move, AfterSaleType], ...]


def _key(desk: Desk, case_id: str) -> tuple:
    case = desk.cases[case_id]
    order = desk.orders[case.order_id]
    return (case.type, case.status, case.refusal_agreed, order.stage, order.parcel,
            order.intercept_requested)


@cache
def status_graph(type: AfterSaleType) -> Graph:
    """Explore every state a case of `type` reaches with the 售后小助手 off (people decide)."""
    desk, case_id = start_case(type, strategies=[])
    nodes = [desk.cases[case_id].status]
    edges: dict[tuple[Status, Status], list[Move]] = {}
    loops: list[Move] = []
    conversions: list[tuple[Move, AfterSaleType]] = []
    seen = {_key(desk, case_id)}
    queue = [desk]
    while queue:
        current = queue.pop(0)
        before = current.cases[case_id].status
        if before.is_terminal:
            # The case is over; later parcel scans belong to the order, not to this diagram.
            continue
        for move in possible_moves(current, case_id):
            after_desk = fork(current)
            try:
                step(after_desk, case_id, move)
            except ActionNotAllowed:
                continue
            after = after_desk.cases[case_id]
            if after.type is not type:
                if (move, after.type) not in conversions:
                    conversions.append((move, after.type))
                continue
            if after.status is before:
                if move not in loops:
                    loops.append(move)
            else:
                moves = edges.setdefault((before, after.status), [])
                if move not in moves:
                    moves.append(move)
                if after.status not in nodes:
                    nodes.append(after.status)
            key = _key(after_desk, case_id)
            if key not in seen:
                seen.add(key)
                queue.append(after_desk)
    return Graph(type, tuple(nodes),
                 tuple(Edge(s, d, tuple(m)) for (s, d), m in edges.items()),
                 tuple(loops), tuple(conversions))


@dataclass(frozen=True)
class _Box:
    x: float
    y: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + NODE_W / 2, self.y + NODE_H / 2


def _layout(graph: Graph) -> dict[Status, _Box]:
    """Open statuses left to right in the order reached; terminal ones in a row below them,
    each placed under the statuses that lead to it (fewer crossing lines)."""
    open_nodes = [s for s in graph.nodes if not s.is_terminal]
    boxes = {s: _Box(MARGIN + i * COLUMN, MARGIN + 40) for i, s in enumerate(open_nodes)}

    def pull(status: Status) -> float:
        sources = [boxes[e.source].x for e in graph.edges if e.target is status]
        return sum(sources) / len(sources)

    ends = sorted((s for s in graph.nodes if s.is_terminal), key=lambda s: (pull(s), s.value))
    gap = max(NODE_W + 24, (len(open_nodes) - 1) * COLUMN / max(len(ends) - 1, 1))
    for i, status in enumerate(ends):
        boxes[status] = _Box(MARGIN + i * gap, MARGIN + 40 + ROW)
    return boxes


def _colour(name: str, fallback: str) -> str:
    return f"var(--jp-{name}, {fallback})"


INK = _colour("ui-font-color1", "#212121")
MUTED = _colour("ui-font-color2", "#616161")
LINE = _colour("border-color1", "#9e9e9e")
PAPER = _colour("layout-color1", "#ffffff")
BACKGROUND = _colour("layout-color0", "#ffffff")
BRAND = _colour("brand-color1", "#1976d2")
ON_BRAND = _colour("ui-inverse-font-color0", "#ffffff")
END = _colour("layout-color2", "#eeeeee")


def _text(x: float, y: float, lines: Sequence[str], *, size: int = 12, colour: str = INK,
          anchor: str = "middle", halo: bool = False, weight: str = "normal") -> str:
    halo_style = f"paint-order:stroke;stroke:{BACKGROUND};stroke-width:4px;" if halo else ""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size + 2}">{escape(line)}</tspan>'
        for i, line in enumerate(lines))
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'style="font-size:{size}px;font-weight:{weight};fill:{colour};{halo_style}">'
            f"{spans}</text>")


def _edge_label(moves: Sequence[Move]) -> list[str]:
    labels = [m.label for m in moves]
    return ["、".join(labels[i:i + LABEL_MOVES_PER_LINE])
            for i in range(0, len(labels), LABEL_MOVES_PER_LINE)]


def _arrow(x1: float, y1: float, x2: float, y2: float, colour: str, width: float) -> str:
    """A line with its arrowhead drawn as a polygon (no markers: ids would clash between
    several diagrams on one page)."""
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    head = 9
    bx, by = x2 - ux * head, y2 - uy * head
    left = (bx - uy * head / 2, by + ux * head / 2)
    right = (bx + uy * head / 2, by - ux * head / 2)
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
            f'style="stroke:{colour};stroke-width:{width}px"/>'
            f'<polygon points="{x2:.1f},{y2:.1f} {left[0]:.1f},{left[1]:.1f} '
            f'{right[0]:.1f},{right[1]:.1f}" style="fill:{colour}"/>')


def _place_label(lines: Sequence[str], x1: float, y1: float, x2: float, y2: float,
                 placed: list[tuple[float, float, float, float]]) -> tuple[float, float]:
    """The first spot along the edge where the label overlaps no node and no other label
    (greedy: good enough for the handful of edges one after-sale type has)."""
    width = max(len(line) for line in lines) * LABEL_SIZE + 6
    height = len(lines) * (LABEL_SIZE + 2) + 2
    if y1 == y2:
        shares: tuple[float, ...] = (0.5,)
    else:
        shares = (0.3, 0.45, 0.6, 0.2, 0.7, 0.38, 0.52)
    candidates = []
    for share in shares:
        cx, cy = x1 + (x2 - x1) * share, y1 + (y2 - y1) * share - (8 if y1 == y2 else 0)
        candidates.append((cx, cy, (cx - width / 2, cy - LABEL_SIZE, cx + width / 2,
                                    cy - LABEL_SIZE + height)))
    cx, cy, box = next((c for c in candidates if not _overlaps(c[2], placed)), candidates[0])
    placed.append(box)
    return cx, cy


def _overlaps(box: tuple[float, float, float, float],
              others: list[tuple[float, float, float, float]]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in others)


def _anchor_points(edge: Edge, boxes: dict[Status, _Box]) -> tuple[float, float, float, float]:
    source, target = boxes[edge.source], boxes[edge.target]
    if source.y == target.y:
        return (source.x + NODE_W, source.y + NODE_H / 2, target.x, target.y + NODE_H / 2)
    return (source.centre[0], source.y + NODE_H, target.centre[0], target.y)


def walked(path: Sequence[Status]) -> set[tuple[Status, Status]]:
    """The (from, to) pairs a sequence of statuses went through."""
    return {(a, b) for a, b in zip(path, path[1:], strict=False) if a is not b}


def state_diagram(type: AfterSaleType, *, current: Status | None = None,
                  path: Sequence[Status] = ()) -> str:
    """SVG of `type`'s statuses; `current` is filled, the edges along `path` are drawn bold."""
    graph = status_graph(type)
    boxes = _layout(graph)
    taken = walked(path)
    visited = set(path) | ({current} if current else set())
    width = max(max(b.x for b in boxes.values()) + NODE_W + MARGIN, MIN_WIDTH)
    notes = []
    if graph.loops:
        notes.append(t("diagram.loops", moves="、".join(m.label for m in graph.loops)))
    for move, other in graph.conversions:
        notes.append(t("diagram.conversion", move=move.label, type=other.label))
    per_line = int((width - 2 * MARGIN) // NOTE_SIZE)
    notes = [note[i:i + per_line] for note in notes for i in range(0, len(note), per_line)]
    height = MARGIN + 40 + ROW + NODE_H + 36 + 18 * len(notes)

    parts = [_text(MARGIN, MARGIN + 6, [t("diagram.title", type=type.label)], size=15,
                   anchor="start", weight="bold")]
    labels: list[str] = []
    placed: list[tuple[float, float, float, float]] = [
        (b.x, b.y, b.x + NODE_W, b.y + NODE_H) for b in boxes.values()]
    for edge in graph.edges:
        on_path = (edge.source, edge.target) in taken
        x1, y1, x2, y2 = _anchor_points(edge, boxes)
        parts.append(_arrow(x1, y1, x2, y2, BRAND if on_path else LINE, 3 if on_path else 1.2))
        lines = _edge_label(edge.moves)
        lx, ly = _place_label(lines, x1, y1, x2, y2, placed)
        labels.append(_text(lx, ly, lines, size=LABEL_SIZE, colour=BRAND if on_path else MUTED,
                            halo=True, weight="bold" if on_path else "normal"))
    parts += labels
    for status, box in boxes.items():
        is_current = status is current
        fill = BRAND if is_current else (END if status.is_terminal else PAPER)
        stroke = BRAND if status in visited else LINE
        parts.append(f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{NODE_W}" height="{NODE_H}" '
                     f'rx="8" style="fill:{fill};stroke:{stroke};'
                     f'stroke-width:{2.5 if status in visited else 1}px"/>')
        parts.append(_text(box.centre[0], box.centre[1] + 5, [status.label], size=13,
                           colour=ON_BRAND if is_current else INK,
                           weight="bold" if is_current else "normal"))
    y = MARGIN + 40 + ROW + NODE_H + 30
    for note in notes:
        parts.append(_text(MARGIN, y, [note], size=NOTE_SIZE, colour=MUTED, anchor="start"))
        y += 18

    title = escape(t("diagram.title", type=type.label))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="state-diagram" role="img" '
            f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'style="font-family:{escape(FONT)};max-width:100%;height:auto">'
            f"<title>{title}</title>{''.join(parts)}</svg>")


# ---- checkpoints of lesson 01: each builds its own case through the engine ------------------

def _fresh(type: AfterSaleType, *strategies: Strategy) -> tuple[Desk, str]:
    return start_case(type, strategies=list(strategies))


@check("01-1", "退货退款：同意时给出发货上家的地址，状态变成「待买家退货」，买家的寄回时限开始计时")
def _check_agree_return() -> Verdict:
    desk, case_id = _fresh(AfterSaleType.RETURN_REFUND)
    if desk.cases[case_id].status is not Status.AWAIT_MERCHANT:
        return Verdict(False, t("diagram.check_not_waiting"))
    step(desk, case_id, MerchantAction.AGREE_RETURN)
    case = desk.cases[case_id]
    ship_back = desk.policy.deadline_for(Status.AWAIT_BUYER_RETURN)
    if case.status is not Status.AWAIT_BUYER_RETURN:
        return Verdict(False, t("diagram.check_status", status=case.status.label))
    if ship_back is None or case.deadline != desk.now + ship_back.duration:
        return Verdict(False, t("diagram.check_no_clock"))
    return Verdict(True)


@check("01-2", "点了当前状态不允许的操作：系统不执行，告诉你现在能做什么，售后单一点不变")
def _check_refused_changes_nothing() -> Verdict:
    desk, case_id = _fresh(AfterSaleType.RETURN_REFUND)
    step(desk, case_id, MerchantAction.AGREE_RETURN)
    kept = desk.snapshot()
    try:
        step(desk, case_id, MerchantAction.CONFIRM_RETURN_RECEIVED)  # nothing came back yet
    except ActionNotAllowed:
        return Verdict(desk.snapshot() == kept, t("diagram.check_changed"))
    return Verdict(False, t("diagram.check_not_refused"))


@check("01-3", "退货地址要填发货上家的：填成别的上家，后台照样同意、撤不回，货会寄错地方")
def _check_wrong_upstream_goes_through() -> Verdict:
    desk, case_id = _fresh(AfterSaleType.RETURN_REFUND)
    other = next(s for s in desk.suppliers.values()
                 if s.id != desk.supplier_of(desk.cases[case_id].order_id).id)
    warned = before(desk, case_id, MerchantAction.AGREE_RETURN, address=other.address)
    if not any(w.kind == "wrong_upstream" for w in warned):
        return Verdict(False, t("diagram.check_no_warning"))
    step(desk, case_id, MerchantAction.AGREE_RETURN, address=other.address)
    status = desk.cases[case_id].status
    return Verdict(status is Status.AWAIT_BUYER_RETURN,
                   t("diagram.check_status", status=status.label))


@check("01-4", "退货退款要过两道审核：买家寄回后等商家二次同意，确认收到才退款；结束后没有可做的操作")
def _check_two_reviews() -> Verdict:
    desk, case_id = _fresh(AfterSaleType.RETURN_REFUND)
    step(desk, case_id, MerchantAction.AGREE_RETURN)
    step(desk, case_id, BuyerAction.SHIP_BACK)
    case = desk.cases[case_id]
    if case.status is not Status.AWAIT_SECOND_REVIEW or case.refunded_fen:
        return Verdict(False, t("diagram.check_status", status=case.status.label))
    step(desk, case_id, MerchantAction.CONFIRM_RETURN_RECEIVED)
    case = desk.cases[case_id]
    paid = desk.orders[case.order_id].order.paid_fen
    if case.status is not Status.SUCCESS or case.refunded_fen != paid:
        return Verdict(False, t("diagram.check_status", status=case.status.label))
    return Verdict(possible_moves(desk, case_id) == [], t("diagram.check_still_open"))


@check("01-5", "商家一直不处理：课程里时限一到就按买家的申请退款（课程规则，以后台为准），所以要及时响应")
def _check_deadline_decides() -> Verdict:
    desk, case_id = _fresh(AfterSaleType.SHIPPED_REFUND)
    step(desk, case_id, ClockEvent.DEADLINE_PASSED)
    case = desk.cases[case_id]
    return Verdict(case.status is Status.SUCCESS and case.missed_deadline,
                   t("diagram.check_status", status=case.status.label))


@check("01-6", "已发货仅退款开了「拒签后退款」：买家拒签、包裹往回走，钱才退——钱货两清")
def _check_refund_after_refusal() -> Verdict:
    desk, case_id = _fresh(AfterSaleType.SHIPPED_REFUND, Strategy.REFUND_AFTER_REFUSAL)
    if not desk.cases[case_id].refusal_agreed:
        return Verdict(False, t("diagram.check_assistant_idle"))
    try:
        step(desk, case_id, MerchantAction.AGREE_REFUND)  # the parcel is still on its way
    except ActionNotAllowed:
        pass
    if desk.cases[case_id].refunded_fen:
        return Verdict(False, t("diagram.check_paid_early"))
    step(desk, case_id, ParcelState.REFUSED_BY_BUYER)
    case = desk.cases[case_id]
    paid = desk.orders[case.order_id].order.paid_fen
    return Verdict(case.status is Status.SUCCESS and case.refunded_fen == paid,
                   t("diagram.check_status", status=case.status.label))

