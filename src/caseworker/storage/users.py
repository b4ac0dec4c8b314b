"""Repository of the store's users (name, role, key slot)."""

from __future__ import annotations

from caseworker.domain.users import Role, User
from caseworker.storage.database import Connection


def get(conn: Connection, name: str) -> User | None:
    row = conn.execute("SELECT name, role, created_at FROM users WHERE name = ?", (name,)).fetchone()
    return User(row[0], Role(row[1]), row[2]) if row else None


def slot_id_of(conn: Connection, name: str) -> str | None:
    row = conn.execute("SELECT slot_id FROM users WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def all_users(conn: Connection) -> list[User]:
    return [User(r[0], Role(r[1]), r[2]) for r in conn.execute("SELECT name, role, created_at FROM users ORDER BY name")]


def user_slot_ids(conn: Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT slot_id FROM users")}


def insert(conn: Connection, user: User, slot_id: str, created_by: str | None) -> None:
    conn.execute(
        "INSERT INTO users (name, role, slot_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
        (user.name, user.role.value, slot_id, user.created_at, created_by),
    )


def delete(conn: Connection, name: str) -> None:
    conn.execute("DELETE FROM users WHERE name = ?", (name,))


def count_with_role(conn: Connection, role: Role) -> int:
    return int(conn.execute("SELECT count(*) FROM users WHERE role = ?", (role.value,)).fetchone()[0])
