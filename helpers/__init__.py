"""抖店售后训练营 helper package: the after-sales engine behind every lesson.

A notebook needs only a few names; they are gathered here. The widget apps live in
`helpers.ui` and are imported by the notebooks that show them (importing `helpers` stays
light: no ipywidgets, no pandas).
"""

from .codes import (
    Actor,
    AfterSaleType,
    AutoAuditKind,
    BuyerAction,
    ClockEvent,
    MerchantAction,
    ParcelState,
    RefundStatus,
    Stage,
    Status,
)
from .machine import ActionNotAllowed, Case, Desk, Event, OrderEvent, Request
from .model import Address, Order, Supplier, load_products, load_suppliers, shanghai, yuan
from .policy import Policy, PolicyError, Strategy, load_policy
from .strings import get_language, set_language, t

__all__ = [
    "ActionNotAllowed", "Actor", "Address", "AfterSaleType", "AutoAuditKind", "BuyerAction",
    "Case", "ClockEvent", "Desk", "Event", "MerchantAction", "Order", "OrderEvent",
    "ParcelState", "Policy", "PolicyError", "RefundStatus", "Request", "Stage", "Status",
    "Strategy", "Supplier", "get_language", "load_policy", "load_products", "load_suppliers",
    "set_language", "shanghai", "t", "yuan",
]
