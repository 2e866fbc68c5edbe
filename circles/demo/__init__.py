"""The demo organisation: two care circles in the Taff valley and the people in them.

`build` creates the cast (docs/design.md, The idea: 3–4 clients and 10–12 mixed carers a circle, a
pair of team leaders, families, a coordinator); `history.play` plays the four weeks before today
through the rota services; `fill_rota` puts carers on six weeks of shifts under the rules every
rota change obeys, leaving a few gaps so the capacity pages have something to show. Everything
random comes from one seeded generator, so a run is reproducible.

The people, their care plans and what happened to them are data, in `cast`; creating them and
filling the rota is in `seed`, the past in `history`.
"""

from circles.demo.cast import (
    AUTHENTICATOR_KEY,
    CIRCLES,
    ORGANISATION,
    PASSWORD,
    SEED,
    SUPERUSER_EMAIL,
)
from circles.demo.seed import build, fill_rota, give_staff_authenticators

__all__ = [
    "AUTHENTICATOR_KEY",
    "CIRCLES",
    "ORGANISATION",
    "PASSWORD",
    "SEED",
    "SUPERUSER_EMAIL",
    "build",
    "fill_rota",
    "give_staff_authenticators",
]
