"""The back office as the course models it: what the platform does, and nothing else.

`codes` (the platform's after-sale types, states and operate codes), `model` (orders, products,
suppliers, money in fen), `policy` (the rules file), `addresses` and `privacy` (the checks a
careful shop makes), `machine` (the state machine of a case and the desk that holds them),
`scenarios` (one case played move by move) and `simulate` (a shop's day on a seeded clock).

The bottom layer: it imports only `helpers.paths` and `helpers.strings`, never a lesson, the
course, the widget apps or pandas, so every lesson, quiz key and score asks the same engine.
"""
