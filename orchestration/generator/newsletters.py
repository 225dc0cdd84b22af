"""Email campaigns: who receives each send, who opens and clicks (Email Opened / Email Link
Clicked tracks keyed by user_id), and the web sessions that clicks start."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import personas
from .devices import Usage
from .persons import Persons
from .sampling import lognormal_seconds
from .sessions import TAIL, Sessions
from .world import World

SEND_SPREAD_US = 30 * 60_000_000  # a send goes out over half an hour


@dataclass(frozen=True)
class EmailEvents:
    """Opens and clicks: person, time, campaign index, and whether it is a click."""

    person: np.ndarray
    ts_us: np.ndarray
    campaign: np.ndarray
    is_click: np.ndarray


def email_activity(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    usage: Usage,
    since: np.ndarray,
    granted_us: np.ndarray,
    withdrawn_us: np.ndarray,
) -> tuple[EmailEvents, Sessions]:
    """Opens/clicks of account holders subscribed at send time, and the sessions clicks
    start on the person's primary device."""
    send = world.traffic.email_send_us
    subscribed = (
        (granted_us[:, None] <= send[None, :])
        & (withdrawn_us[:, None] > send[None, :])
        & (since[:, None] <= send[None, :])
    )
    person, campaign = np.nonzero(subscribed)
    persona = persons.persona[person]
    sent = send[campaign] + rng.integers(0, SEND_SPREAD_US, len(person))
    opened = rng.random(len(person)) < personas.column("open_rate")[persona]
    open_us = sent + lognormal_seconds(rng, np.full(len(person), 3 * 3600.0), 1.3, 30, 72 * 3600)
    opened &= open_us < world.end_us
    clicked = opened & (rng.random(len(person)) < personas.column("click_rate")[persona])
    click_us = open_us + lognormal_seconds(rng, np.full(len(person), 40.0), 0.8, 3, 600)
    clicked &= click_us < world.end_us - TAIL
    events = EmailEvents(
        person=np.r_[person[opened], person[clicked]],
        ts_us=np.r_[open_us[opened], click_us[clicked]],
        campaign=np.r_[campaign[opened], campaign[clicked]],
        is_click=np.r_[np.zeros(opened.sum(), bool), np.ones(clicked.sum(), bool)],
    )
    content = rng.integers(0, 2, clicked.sum())
    n = int(clicked.sum())
    sessions = Sessions(
        person=person[clicked],
        usage=usage.start[person[clicked]],
        device=usage.device[usage.start[person[clicked]]],
        start_us=click_us[clicked] + rng.integers(2_000_000, 20_000_000, n),
        variant=world.traffic.email_variants[campaign[clicked], content],
        is_signup=np.zeros(n, dtype=bool),
    )
    return events, sessions
