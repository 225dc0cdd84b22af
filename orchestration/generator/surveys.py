"""Survey answers: an NPS survey and an interests survey ("what matters most to you")."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import personas
from .formats import crm_timestamps
from .persons import Persons
from .sampling import categorical
from .sessions import NEVER
from .strings import integers, lookup, serial, where
from .world import World

NPS_RATE = 0.10  # known persons answering the NPS survey
INTERESTS_RATE = 0.7  # of NPS respondents, also answering the interests survey
QUESTIONS = (
    ("nps", "How likely are you to recommend us to a friend or colleague?"),
    ("top_value", "What matters most to you when you shop with us?"),
)


def survey_columns(
    rng: np.random.Generator, world: World, persons: Persons, since: np.ndarray, chunk: int
) -> dict[str, pa.Array]:
    """Rows of survey_responses; respondents are named by user_id and/or email."""
    known = persons.has_account | persons.has_contact
    nps = np.flatnonzero(known & (rng.random(len(persons)) < NPS_RATE))
    interests = nps[rng.random(len(nps)) < INTERESTS_RATE]
    person = np.r_[nps, interests]
    question = np.r_[np.zeros(len(nps), int), np.ones(len(interests), int)]
    persona = persons.persona[person]
    score = np.clip(np.rint(rng.normal(personas.column("nps_mean")[persona], 1.8)), 0, 10)
    value = categorical(rng, personas.column("top_values"), persona)
    answer = where(question == 0, integers(score), lookup(personas.TOP_VALUES, value))
    with_user = persons.has_account[person] & (rng.random(len(person)) < 0.8)
    with_email = ~with_user | (rng.random(len(person)) < 0.5)
    start = np.where(
        since[person] == NEVER, world.start_us, np.maximum(since[person], world.start_us)
    )
    answered = start + (rng.random(len(person)) * (world.end_us - start)).astype(np.int64)
    year = world.start_date.year
    return {
        "response_id": serial("SR-", chunk, len(person)),
        "survey_id": lookup([f"nps_{year}", f"interests_{year}"], question),
        "user_id": lookup(persons.user_id, np.where(with_user, person, -1)),
        "email": lookup(persons.email, np.where(with_email, person, -1)),
        "question_id": lookup([q for q, _ in QUESTIONS], question),
        "question": lookup([t for _, t in QUESTIONS], question),
        "answer": answer,
        "answered_at": crm_timestamps(rng, world, answered, persons.city[person]),
    }
