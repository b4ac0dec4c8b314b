"""Users, roles and what each role may do.

A centre's store has caseworkers and supervisors; a coordinator's store has coordinators. The
rules live here and are applied by the use-case layer (``caseworker.app``), never only by hiding
buttons in the interface.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from caseworker.errors import InvalidInput
from caseworker.i18n import t


class StoreRole(str, Enum):
    CENTRE = "centre"
    COORDINATOR = "coordinator"


class Role(str, Enum):
    CASEWORKER = "caseworker"
    SUPERVISOR = "supervisor"
    COORDINATOR = "coordinator"

    def label(self) -> str:
        return {
            Role.CASEWORKER: t("caseworker"),
            Role.SUPERVISOR: t("supervisor"),
            Role.COORDINATOR: t("coordinator"),
        }[self]


class Permission(str, Enum):
    RECORD = "record"
    LOOK_UP = "look_up"
    MANAGE_USERS = "manage_users"
    SUBMIT_MONTH = "submit_month"
    EXPORT = "export"
    BACKUP = "backup"
    COORDINATE = "coordinate"


ROLES_OF_STORE: dict[StoreRole, tuple[Role, ...]] = {
    StoreRole.CENTRE: (Role.CASEWORKER, Role.SUPERVISOR),
    StoreRole.COORDINATOR: (Role.COORDINATOR,),
}

FIRST_USER_ROLE: dict[StoreRole, Role] = {
    StoreRole.CENTRE: Role.SUPERVISOR,
    StoreRole.COORDINATOR: Role.COORDINATOR,
}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASEWORKER: frozenset({Permission.RECORD, Permission.LOOK_UP}),
    Role.SUPERVISOR: frozenset(
        {Permission.RECORD, Permission.LOOK_UP, Permission.MANAGE_USERS, Permission.SUBMIT_MONTH, Permission.EXPORT, Permission.BACKUP}
    ),
    Role.COORDINATOR: frozenset(
        {Permission.LOOK_UP, Permission.MANAGE_USERS, Permission.EXPORT, Permission.BACKUP, Permission.COORDINATE}
    ),
}


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    created_at: str


_NAME_PATTERN = re.compile(r"^[a-zçğıöşü0-9][a-zçğıöşü0-9._-]{0,31}$")


def normalise_user_name(raw: str) -> str:
    """The canonical form of a user name: Turkish lower case; ``InvalidInput`` if not allowed.

    User names are short log-in names (``ayse``, ``m.yilmaz``), not full names: 1 to 32 letters,
    digits, dots, dashes and underscores, starting with a letter or digit.
    """
    name = unicodedata.normalize("NFC", raw.strip()).replace("I", "ı").replace("İ", "i").lower()
    if not _NAME_PATTERN.match(name):
        raise InvalidInput(
            t("The user name {name!r} is not allowed: use 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.", name=raw)
        )
    return name


def parse_role(raw: str) -> Role:
    try:
        return Role(raw.strip().lower())
    except ValueError:
        raise InvalidInput(
            t("Unknown role {role!r}: use caseworker, supervisor or coordinator.", role=raw)
        ) from None


def may(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


MIN_PASSPHRASE_LENGTH = 10


def check_new_passphrase(passphrase: str, user_name: str | None) -> None:
    """Refuse passphrases that are too weak to stand for a store of this kind."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InvalidInput(
            t("The new passphrase is too short: use at least {count} characters (a few unrelated words work well).", count=MIN_PASSPHRASE_LENGTH)
        )
    if user_name and user_name.casefold() in passphrase.casefold():
        raise InvalidInput(t("The new passphrase must not contain the user name."))


def passphrase_strength(passphrase: str) -> int:
    """A rough strength from 0 (unusable) to 4 (strong), for the meter shown while typing.

    Length counts most; several words or several kinds of character add to it. It is a guide
    for the person, not a guarantee; the hard rule is ``check_new_passphrase``.
    """
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return 0
    kinds = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda ch: not ch.isalnum())
    )
    words = len(passphrase.split())
    score = 1 + (len(passphrase) >= 16) + (len(passphrase) >= 24 or words >= 4) + (kinds >= 3 or words >= 3)
    return min(score, 4)
