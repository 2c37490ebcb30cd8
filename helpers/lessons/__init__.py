"""Each lesson's own logic, in pure Python, named after its lesson.

`diagram` (01 the state diagram), `unshipped` (02), `shipped` (03 售后小助手 form and ledger),
`returns` (04), `reviews` (05), `practice` and `decide` (06 drills and 「这单该怎么处理？」),
`capstone` (07 the shift). What a lesson asks, and how the coach advises, lives here beside
the lesson; the outcome always comes from `helpers.engine`.

Imports the engine only: never `helpers.course`, `helpers.ui` or ipywidgets. The widget app
of `lessons/shipped.py` is `ui/shipped.py`, and so on.
"""
