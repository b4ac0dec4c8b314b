"""The demo store: a throw-away centre with a year of realistic figures and a directory.

``caseworker --demo`` uses it so a newcomer sees the real thing in one command. The figures are
made by the same tally use case as real contacts, with a fixed random seed.
"""

from __future__ import annotations

import random
from pathlib import Path

from caseworker.app import counts as counts_uc
from caseworker.app import directory as directory_uc
from caseworker.app import months as months_uc
from caseworker.app.session import Session, initialise
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole

DEMO_USER = "demo"
DEMO_PASSPHRASE = "örnek merkez parolası"
_AGES = ["18-24", "25-34", "25-34", "35-44", "35-44", "45-54", "55-64", "0-17", "65+"]
_STATUS = ["citizen"] * 8 + ["temporary_protection", "international_protection"]
_SOURCES = ["self", "alo183", "sonim", "police", "health", "ngo", "family_friends"]
_VIOLENCE = ["physical", "psychological", "economic", "sexual", "digital", "stalking"]
_PERPETRATORS = ["spouse", "spouse", "former_spouse", "partner", "family", "acquaintance"]
_REFERRALS = ["sonim", "legal_aid", "police", "health", "social_services", "employment"]


def create_demo_store(home: Path, months: int = 12, seed: int = 2026) -> Session:
    """A centre's store in ``home`` with ``months`` months of contacts; the last full month open."""
    session, _ = initialise(
        home, store_role=StoreRole.CENTRE, name="Örnek Kadın Danışma Merkezi", district="Karşıyaka",
        user_name=DEMO_USER, passphrase=DEMO_PASSPHRASE,
    )
    rng = random.Random(seed)
    book = counts_uc.TallyBook(session)
    current = Period.current()
    for offset in range(months, -1, -1):
        period = current.plus(-offset)
        for _ in range(rng.randint(18, 34) if offset else rng.randint(3, 9)):
            answers = {
                "age": rng.choice(_AGES), "status": rng.choice(_STATUS), "source": rng.choice(_SOURCES),
                "violence": rng.sample(_VIOLENCE, rng.randint(1, 3)), "perpetrator": rng.sample(_PERPETRATORS, 1),
                "referral": rng.sample(_REFERRALS, rng.randint(0, 2)),
                "protective_order": rng.random() < 0.3, "children": rng.random() < 0.5,
            }
            book.record(period, "new_applicant", answers)
        for _ in range(rng.randint(20, 45) if offset else rng.randint(4, 10)):
            book.record(period, "follow_up", {"age": rng.choice(_AGES), "session": rng.choice(["psychological", "social", "legal"])})
        if offset > 1:
            months_uc.submit(session, period)
    directory_uc.load_sample(session)
    return session
