"""抖店售后训练营 helper package: the after-sales engine behind every lesson.

Laid out by layer, each arrow one way (a lower layer never imports a higher one;
tests/test_layers.py checks it):

    engine/   the back office as the course models it (no widgets, no pandas)
      ↓
    lessons/  each lesson's own logic and the coach's advice, named after its lesson
      ↓
    course/   quiz, progress, certificate, workspace, trainer, Lab settings
      ↓
    ui/       one widget app per lesson module, with the same name (ui/shipped.py ↔ lessons/shipped.py)

    export/   lesson 08's data side (pandas), on top of the engine; only ui/data_review uses it

Beside them: `paths` (where data lives), `strings` (the string catalog), `errors` (the course's
own error, shown in a notebook as one line: importing helpers registers that), `checkpoints` (the
runner each lesson's checks register with), `__main__` (the CLI).
A notebook needs only a few names; they are gathered here. Importing `helpers` stays light:
no ipywidgets, no pandas.
"""

from .checkpoints import checkpoint
from .engine.codes import (
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
from .engine.datafiles import DataFileError
from .engine.machine import ActionNotAllowed, Case, Desk, Event, OrderEvent, Request
from .engine.model import Address, Order, Supplier, load_products, load_suppliers, shanghai, yuan
from .engine.policy import Policy, PolicyError, Strategy, load_policy
from .errors import CourseError, install_handler
from .strings import get_language, set_language, t

install_handler()

__all__ = [
    "ActionNotAllowed", "Actor", "Address", "AfterSaleType", "AutoAuditKind", "BuyerAction",
    "Case", "ClockEvent", "CourseError", "DataFileError", "Desk", "Event", "MerchantAction",
    "Order", "OrderEvent",
    "ParcelState", "Policy", "PolicyError", "RefundStatus", "Request", "Stage", "Status",
    "Strategy", "Supplier", "get_language", "load_policy", "load_products", "load_suppliers",
    "checkpoint", "set_language", "shanghai", "t", "yuan",
]
