"""Enums shared across domains. Stored as their lowercase value (portable VARCHAR)."""

from __future__ import annotations

import enum
from typing import Self

from sqlalchemy import Enum as SAEnum


class LabelledEnum(enum.StrEnum):
    """A choice stored as its lowercase value, carrying the words pages show for it:

        class Colour(LabelledEnum):
            DARK_RED = "dark_red", "Dark red"

    `member.label` is "Dark red"; `str(member)` (and `{{ member }}`) is the value "dark_red", as for
    any StrEnum. A member given no label is labelled with its value."""

    _label_: str

    def __new__(cls, value: str, label: str | None = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label_ = value if label is None else label
        return member

    @property
    def label(self) -> str:
        return self._label_


class Role(LabelledEnum):
    ORGANISER = "organiser"
    NOMINATOR = "nominator"
    JUDGE = "judge"
    CHAMPION = "champion"
    BOARD = "board"
    DOOR_HELPER = "door_helper"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS = {
    Role.ORGANISER: "Organiser",
    Role.NOMINATOR: "Nominator",
    Role.JUDGE: "Judge",
    Role.CHAMPION: "Corporate Parenting Champion",
    Role.BOARD: "Board member",
    Role.DOOR_HELPER: "Door helper",
}

ROLE_DESCRIPTIONS = {
    Role.ORGANISER: "Runs events, nominations, judging, invitations and people",
    Role.NOMINATOR: "Nominates young people for awards and records their achievements",
    Role.JUDGE: "Scores the nominations given to them",
    Role.CHAMPION: "Makes a pledge and records young people's achievements",
    Role.BOARD: "Reads reports without names",
    Role.DOOR_HELPER: "Checks people in at the door of the events an organiser gives them, on the day",
}

# Roles whose holders must use a second factor to sign in.
SECOND_FACTOR_REQUIRED = frozenset({Role.ORGANISER, Role.BOARD})
# Roles people take on by registering themselves; the rest are given by organisers.
SELF_REGISTER_ROLES = (Role.NOMINATOR,)
# Roles an organiser can invite someone into by email.
INVITE_ROLES = (Role.JUDGE, Role.ORGANISER, Role.BOARD, Role.NOMINATOR, Role.CHAMPION)


def enum_column(enum_cls: type[enum.Enum], name: str) -> SAEnum:
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
