"""The folder of key-slot files: reading them strictly, finding a user's, writing and removing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from caseworker.errors import AuthenticationFailed, StoreDamaged, StoreMissing, fault_from_os_error
from caseworker.i18n import t
from caseworker.paths import HomePaths, make_private_dir
from caseworker.storage.atomic import remove_durably, write_atomic
from caseworker.storage.keyslots import KeySlot, parse_slot, user_tag

RECOVERY_SLOT_ID = "recovery"


@dataclass(frozen=True)
class Keyring:
    """All slots of one store, read from its folder."""

    folder: Path
    store_id: str
    slots: tuple[KeySlot, ...]

    def for_user(self, normalised_name: str) -> KeySlot:
        tag = user_tag(self.store_id, normalised_name)
        for slot in self.slots:
            if slot.kind == "user" and slot.user_tag == tag:
                return slot
        raise AuthenticationFailed(t("There is no user named {user} in this store. Check the spelling, or ask a supervisor.", user=normalised_name))

    def recovery(self) -> KeySlot:
        for slot in self.slots:
            if slot.kind == "recovery":
                return slot
        raise StoreDamaged(t("The recovery key slot is missing from {folder}. Restore it from a backup.", folder=self.folder))

    def by_id(self, slot_id: str) -> KeySlot | None:
        return next((slot for slot in self.slots if slot.slot_id == slot_id), None)


def read_keyring(paths: HomePaths) -> Keyring:
    """Every slot in the home's ``keyslots/`` folder; they must all belong to one store."""
    if not paths.database.exists():
        raise StoreMissing(
            t("There is no Caseworker store in {home}. Create one with 'caseworker init' or choose another folder with --home.", home=paths.home)
        )
    folder = paths.keyslots
    try:
        files = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
        slots = tuple(parse_slot(p.read_bytes(), str(p)) for p in files)
    except OSError as error:
        raise fault_from_os_error(error, folder) from error
    if not slots:
        raise StoreDamaged(t("The key-slot folder {folder} is empty or missing: the store cannot be opened. Restore it from a backup.", folder=folder))
    store_ids = {slot.store_id for slot in slots}
    mismatched = [p.name for p, slot in zip(files, slots) if slot.slot_id != p.stem]
    if len(store_ids) != 1 or mismatched:
        raise StoreDamaged(t("The key-slot folder {folder} holds files that do not belong to this store. Remove the strangers or restore a backup.", folder=folder))
    return Keyring(folder=folder, store_id=store_ids.pop(), slots=slots)


def write_slot(paths: HomePaths, slot: KeySlot) -> None:
    make_private_dir(paths.keyslots)
    write_atomic(paths.slot_file(slot.slot_id), slot.to_bytes())


def delete_slot(paths: HomePaths, slot_id: str) -> None:
    remove_durably(paths.slot_file(slot_id))
