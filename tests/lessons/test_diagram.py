"""helpers.lessons.diagram: the graph comes from the engine; the SVG is self-contained and themable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from helpers import AfterSaleType, MerchantAction, ParcelState, Status
from helpers.engine.codes import MODELLED_TYPES
from helpers.engine.machine import RULES
from helpers.engine.scenarios import outcome
from helpers.lessons.diagram import state_diagram, status_graph, walked

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("case_type", MODELLED_TYPES)
def test_open_nodes_are_exactly_the_statuses_with_rules(case_type):
    graph = status_graph(case_type)
    open_nodes = {s for s in graph.nodes if not s.is_terminal}
    assert open_nodes == {status for (t, status) in RULES if t is case_type}
    assert graph.nodes[0] is Status.AWAIT_MERCHANT


@pytest.mark.parametrize("case_type", MODELLED_TYPES)
def test_every_edge_is_a_path_the_engine_walks(case_type):
    graph = status_graph(case_type)
    assert graph.edges
    for edge in graph.edges:
        assert edge.source in graph.nodes and edge.target in graph.nodes
        assert not edge.source.is_terminal


def test_return_refund_graph_has_both_reviews():
    graph = status_graph(AfterSaleType.RETURN_REFUND)
    edges = {(e.source, e.target): e.moves for e in graph.edges}
    assert MerchantAction.AGREE_RETURN in edges[(Status.AWAIT_MERCHANT, Status.AWAIT_BUYER_RETURN)]
    assert MerchantAction.CONFIRM_RETURN_RECEIVED in edges[
        (Status.AWAIT_SECOND_REVIEW, Status.SUCCESS)]
    assert (Status.AWAIT_SECOND_REVIEW, Status.REFUSED_SECOND) in edges


def test_shipped_refund_notes_the_conversion_and_the_refusal_path():
    graph = status_graph(AfterSaleType.SHIPPED_REFUND)
    assert (ParcelState.SIGNED_BY_BUYER, AfterSaleType.RETURN_REFUND) in graph.conversions
    assert MerchantAction.AGREE_REFUND_AFTER_REFUSAL in graph.loops
    edges = {(e.source, e.target): e.moves for e in graph.edges}
    assert ParcelState.REFUSED_BY_BUYER in edges[(Status.AWAIT_MERCHANT, Status.SUCCESS)]


@pytest.mark.parametrize("case_type", MODELLED_TYPES)
def test_svg_is_well_formed_labelled_and_script_free(case_type):
    svg = state_diagram(case_type, current=Status.AWAIT_MERCHANT)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    text = "".join(root.itertext())
    for status in status_graph(case_type).nodes:
        assert status.label in text
    assert "WenQuanYi Micro Hei" in svg and "Noto Sans CJK SC" in svg
    assert "var(--jp-brand-color1" in svg and "var(--jp-ui-font-color1" in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def _node_style(svg: str, label: str) -> str:
    root = ET.fromstring(svg)
    elements = list(root)
    for i, element in enumerate(elements):
        if element.tag == f"{SVG}text" and "".join(element.itertext()) == label:
            return elements[i - 1].get("style", "")
    raise AssertionError(label)


def test_current_status_is_filled_and_the_path_is_bold():
    path = [Status.AWAIT_MERCHANT, Status.AWAIT_BUYER_RETURN]
    svg = state_diagram(AfterSaleType.RETURN_REFUND, current=Status.AWAIT_BUYER_RETURN,
                        path=path)
    assert "fill:var(--jp-brand-color1" in _node_style(svg, "待买家退货")
    assert "fill:var(--jp-brand-color1" not in _node_style(svg, "待商家同意")
    assert "stroke-width:3px" in svg
    plain = state_diagram(AfterSaleType.RETURN_REFUND)
    assert "stroke-width:3px" not in plain


def test_walked_pairs_follow_the_engine():
    result = outcome(AfterSaleType.RETURN_REFUND, ["同意退货申请", "买家寄回商品"], strategies=[])
    assert result.status is Status.AWAIT_SECOND_REVIEW
    pairs = walked([Status.AWAIT_MERCHANT, Status.AWAIT_MERCHANT, Status.AWAIT_BUYER_RETURN,
                    Status.AWAIT_SECOND_REVIEW])
    edges = {(e.source, e.target) for e in status_graph(AfterSaleType.RETURN_REFUND).edges}
    assert pairs <= edges
