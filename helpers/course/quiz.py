"""Quiz banks (`data/quiz/<lesson stem>.toml`) and grading, without widgets.

A question about an outcome declares a scenario: the engine plays it and its result must pick
exactly the keyed answer (tests/course/test_quiz.py checks every bank), so a quiz cannot teach
something the engine disagrees with. Format, with every field:

    title = "小测验：售后类型与状态"

    [[questions]]
    id = "return-flow-next"                  # unique in the file; progress is kept by it
    prompt = "商家同意退货后，售后单处于什么状态？"
    answer = "b"                             # the id of the right choice
    explanation = "……"                       # shown with every answer

    [questions.scenario]                     # optional: the engine checks the key
    type = "退货退款"                        # a modelled 售后类型, by its label
    strategies = []                          # policy.toml keys of the strategies ON (others off)
    moves = ["同意退货申请"]                 # move labels, played in order
    ask = "status"                           # which part of the outcome the choices name
    address = "S02"                          # optional: agree with this supplier's address
    received = true                          # optional: 仅退款 after the buyer signed (已收货)
    lost = true                              # optional: the parcel's tracking stalled first
    no_reason = true                         # optional: the buyer chose 七天无理由
    claim_true = false                       # optional: what the buyer says is not true

    [[questions.choices]]
    id = "a"
    text = "待商家同意"
    value = "待商家同意"                     # optional: what `ask` is compared with (default: text)
    why_wrong = "……"                         # required for every wrong choice
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..engine.codes import EVERYDAY_TYPES, MODELLED_TYPES, AfterSaleType, Labeled, ReturnReason
from ..engine.machine import Move, Request
from ..engine.model import load_suppliers, yuan
from ..engine.policy import Strategy
from ..engine.scenarios import SAMPLE_ORDER, Outcome, outcome, parse_move
from ..paths import data_path
from ..strings import t


class QuizError(Exception):
    """A quiz bank is missing or malformed; the message names the file and the question."""


def _name(member: Labeled | None) -> str:
    return member.zh if member is not None else ""


# What a scenario's `ask` may name, and how the outcome answers it: by the platform's Chinese
# name, as the banks (course content, in Chinese) write their choices.
ASKS: dict[str, Callable[[Outcome], object]] = {
    "status": lambda o: o.status.zh,
    "type": lambda o: o.type.zh,
    "refunded": lambda o: yuan(o.refunded_fen),
    "auto": lambda o: _name(o.auto),
    "accepted": lambda o: o.accepted,
    "refused": lambda o: _name(o.refused),
    "missed_deadline": lambda o: o.missed_deadline,
    "possible": lambda o: [m.zh for m in o.possible],
    "goods": lambda o: o.goods.value if o.goods else "",  # the ledger: where the goods are
    "verdict": lambda o: o.verdict.value if o.verdict else "",  # clear, both_lost, goods_lost …
}


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    value: object
    why_wrong: str = ""


@dataclass(frozen=True)
class Scenario:
    type: AfterSaleType
    strategies: tuple[Strategy, ...]
    moves: tuple[Move, ...]
    ask: str
    address_supplier: str | None = None
    received: bool = False
    lost: bool = False
    no_reason: bool = False
    claim_true: bool = True


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    choices: tuple[Choice, ...]
    answer: str
    explanation: str
    scenario: Scenario | None = None

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)


@dataclass(frozen=True)
class Bank:
    lesson: str
    title: str
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer: right or not, and why."""

    correct: bool
    reason: str
    explanation: str


def grade(question: Question, choice_id: str) -> Feedback:
    """Check `choice_id`; a wrong choice comes with its own reason, every answer with the
    explanation."""
    choice = question.choice(choice_id)
    correct = choice.id == question.answer
    return Feedback(correct=correct, reason=question.explanation if correct else choice.why_wrong,
                    explanation=question.explanation)


def shuffled(question: Question, trainee: str, lesson: str = "") -> tuple[Choice, ...]:
    """The choices in the order one trainee sees them: shuffled per trainee and question, and
    the same order every time for that trainee, on any machine and Python version (sorted by a
    hash of their name, the lesson, the question id and the choice id). Answers are recorded and
    graded by choice id, never by position."""
    def key(choice: Choice) -> bytes:
        return hashlib.sha256("\x1f".join((trainee, lesson, question.id, choice.id)).encode()).digest()

    return tuple(sorted(question.choices, key=key))


# ---- engine keys ------------------------------------------------------------------------

def play_scenario(scenario: Scenario) -> Outcome:
    address = (load_suppliers()[scenario.address_supplier].address
               if scenario.address_supplier else None)
    request = Request(scenario.type, SAMPLE_ORDER.paid_fen,
                      reason_kind=ReturnReason.NO_REASON if scenario.no_reason else ReturnReason.OTHER,
                      claim_true=scenario.claim_true)
    return outcome(scenario.type, scenario.moves, strategies=scenario.strategies,
                   address=address, received=scenario.received, stalled=scenario.lost,
                   request=request)


def engine_value(question: Question) -> object:
    """What the engine says about the question's scenario (e.g. "待买家退货")."""
    if question.scenario is None:
        raise ValueError(question.id)
    return ASKS[question.scenario.ask](play_scenario(question.scenario))


def _matches(value: object, engine: object) -> bool:
    return value in engine if isinstance(engine, list) else value == engine


def engine_answer(question: Question) -> str:
    """The id of the one choice the engine's outcome picks; QuizError when none or several do."""
    engine = engine_value(question)
    picked = [c.id for c in question.choices if _matches(c.value, engine)]
    if len(picked) != 1:
        raise QuizError(t("quiz.error_engine", id=question.id, value=engine,
                          picked="、".join(picked) or "—"))
    return picked[0]


# ---- loading ----------------------------------------------------------------------------

def bank_path(lesson: str) -> Path:
    return data_path("quiz", f"{lesson}.toml")


def bank_files() -> list[Path]:
    """Every quiz bank of the course."""
    return sorted(data_path("quiz").glob("*.toml"))


def load_bank(lesson: str) -> Bank:
    """The quiz of a lesson, by the notebook's file stem (e.g. "01_aftersales_basics")."""
    return load_bank_file(bank_path(lesson))


def load_bank_file(path: Path) -> Bank:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QuizError(t("quiz.error_read", file=path.name, error=error.strerror)) from error
    return parse_bank(text, path.stem, path.name)


def parse_bank(text: str, lesson: str, file: str) -> Bank:
    """Build a Bank from TOML text; every error names `file` and the question."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise QuizError(t("quiz.error_toml", file=file, error=error)) from error
    entries = raw.get("questions")
    if not isinstance(entries, list) or not entries:
        raise QuizError(t("quiz.error_empty", file=file))
    questions: list[Question] = []
    for number, entry in enumerate(entries, start=1):
        question = _question(entry, number, file)
        if any(q.id == question.id for q in questions):
            raise QuizError(t("quiz.error_duplicate", file=file, id=question.id))
        questions.append(question)
    return Bank(lesson=lesson, title=str(raw.get("title", "")), questions=tuple(questions))


def _question(entry: dict, number: int, file: str) -> Question:
    qid = str(entry.get("id") or t("quiz.error_number", number=number))

    def fail(key: str, **params: object) -> QuizError:
        return QuizError(t("quiz.error_where", file=file, id=qid) + t(key, **params))

    for field in ("id", "prompt", "answer", "explanation"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            raise fail("quiz.error_field", field=field)
    raw_choices = entry.get("choices")
    if not isinstance(raw_choices, list) or len(raw_choices) < 2:
        raise fail("quiz.error_few_choices")
    choices: list[Choice] = []
    for raw in raw_choices:
        cid, text = raw.get("id"), raw.get("text")
        if not isinstance(cid, str) or not cid or not isinstance(text, str) or not text.strip():
            raise fail("quiz.error_choice")
        if any(c.id == cid for c in choices):
            raise fail("quiz.error_choice_duplicate", choice=cid)
        choices.append(Choice(cid, text, raw.get("value", text),
                              str(raw.get("why_wrong", "")).strip()))
    if entry["answer"] not in {c.id for c in choices}:
        raise fail("quiz.error_answer", answer=entry["answer"])
    for choice in choices:
        if choice.id != entry["answer"] and not choice.why_wrong:
            raise fail("quiz.error_why_wrong", choice=choice.id)
    scenario = _scenario(entry["scenario"], fail) if "scenario" in entry else None
    return Question(id=qid, prompt=entry["prompt"], choices=tuple(choices), answer=entry["answer"],
                    explanation=entry["explanation"], scenario=scenario)


def _scenario(raw: dict, fail: Callable[..., QuizError]) -> Scenario:
    try:
        type = AfterSaleType.from_label(raw.get("type", ""))
    except KeyError:
        type = None
    if type not in MODELLED_TYPES + EVERYDAY_TYPES:
        raise fail("quiz.error_type", type=raw.get("type", ""),
                   known="、".join(m.label for m in MODELLED_TYPES + EVERYDAY_TYPES))
    strategies = []
    for key in raw.get("strategies", []):
        try:
            strategies.append(Strategy(key))
        except ValueError:
            raise fail("quiz.error_strategy", strategy=key,
                       known="、".join(s.value for s in Strategy)) from None
    moves = []
    for label in raw.get("moves", []):
        try:
            moves.append(parse_move(label))
        except KeyError:
            raise fail("quiz.error_move", move=label) from None
    ask = raw.get("ask", "")
    if ask not in ASKS:
        raise fail("quiz.error_ask", ask=ask, known="、".join(ASKS))
    supplier = raw.get("address")
    if supplier is not None and supplier not in load_suppliers():
        raise fail("quiz.error_supplier", supplier=supplier)
    flags = {key: raw.get(key, default) for key, default in
             (("received", False), ("lost", False), ("no_reason", False), ("claim_true", True))}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise fail("quiz.error_ask", ask=str(flags), known="true / false")
    return Scenario(type, tuple(strategies), tuple(moves), ask, supplier, **flags)


@dataclass(frozen=True)
class Score:
    """A trainee's result on one bank: each question counts by its first answer."""

    lesson: str
    right: int
    total: int
    answered: int


def score(bank: Bank, first_answers: dict[str, str]) -> Score:
    """The score of `first_answers` (question id → the choice picked first)."""
    right = sum(1 for q in bank.questions
                if q.id in first_answers and first_answers[q.id] == q.answer)
    return Score(bank.lesson, right, len(bank.questions), len(first_answers))
