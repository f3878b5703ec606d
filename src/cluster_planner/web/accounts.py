"""The office's accounts: a name, a role and an Argon2 hash of the password, in the web app's store.

Accounts live in the ``users`` table of ``DATA/cluster-planner.sqlite`` (the file ``serve`` keeps its
schools and plans in). A password is hashed with Argon2id (argon2-cffi, its default parameters) the
moment it is received and never stored, logged or shown in clear. Ids are never reused, so a removed
account's sessions end with it, even when an account of the same name is added again.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cluster_planner.errors import UsageError
from cluster_planner.i18n import register
from cluster_planner.web.store import Row, Store, now

register(
    {
        "accounts.bad_name": (
            "账户名「{name}」不可用：应为 1 到 {most} 个字符，不含空格或控制字符",
            "the account name '{name}' cannot be used: 1 to {most} characters, no spaces or control characters",
        ),
        "accounts.bad_role": ("角色「{role}」不存在：应为 {roles}", "no role '{role}': expected {roles}"),
        "accounts.exists": (
            "账户「{name}」已存在，未作任何改动（要换密码，先 user remove 再 user add）",
            "the account '{name}' exists already; nothing was changed (to change its password, "
            "user remove it and user add it again)",
        ),
        "accounts.unknown": ("没有名为「{name}」的账户", "no account named '{name}'"),
        "accounts.short_password": (
            "密码太短：至少 {least} 个字符",
            "the password is too short: at least {least} characters",
        ),
        "accounts.role.office": ("教务处（可编辑）", "office (may edit)"),
        "accounts.role.viewer": ("查看（只读，电话隐去）", "viewer (read only, phones masked)"),
    }
)

OFFICE, VIEWER = "office", "viewer"
ROLES = (OFFICE, VIEWER)
MAX_NAME = 64
MIN_PASSWORD = 8

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    password_hash TEXT NOT NULL, created TEXT NOT NULL
);
"""
# AUTOINCREMENT: an id is never given twice, so a session naming a removed account never names a new one.

HASHER = PasswordHasher()


@cache
def _decoy_hash() -> str:
    """A hash checked against when the name is unknown, so a wrong name takes as long as a wrong password."""
    return HASHER.hash("no such account")


def check_name(name: str) -> str:
    """``name`` stripped; refused (exit 2) when empty, too long, or holding a space or control character."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in name):
        raise UsageError.said("accounts.bad_name", name=name, most=MAX_NAME)
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError.said("accounts.bad_role", role=role, roles=" / ".join(ROLES))
    return role


class Accounts:
    """The accounts of one data folder (the ``users`` table of its store)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store.connect() as db:
            db.executescript(SCHEMA)

    def add(self, name: str, role: str, password: str) -> int:
        """A new account; refused when the name is taken (nothing is replaced) or the password is short."""
        name, role = check_name(name), check_role(role)
        if len(password) < MIN_PASSWORD:
            raise UsageError.said("accounts.short_password", least=MIN_PASSWORD)
        hashed = HASHER.hash(password)
        with self.store.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                db.execute("ROLLBACK")
                raise UsageError.said("accounts.exists", name=name)
            user_id = db.execute(
                "INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                (name, role, hashed, now()),
            ).lastrowid
            db.execute("COMMIT")
        return int(user_id or 0)

    def remove(self, name: str) -> None:
        """Remove an account (its open sessions end at their next request)."""
        with self.store.connect() as db:
            gone = db.execute("DELETE FROM users WHERE name = ?", (name.strip(),)).rowcount
        if not gone:
            raise UsageError.said("accounts.unknown", name=name)

    def all(self) -> list[Row]:
        """Every account (name, role, created; never the hash), by name."""
        return self.store._all("SELECT id, name, role, created FROM users ORDER BY name")

    def any(self) -> bool:
        return self.store._one("SELECT 1 AS found FROM users LIMIT 1") is not None

    def by_id(self, user_id: int) -> Row | None:
        return self.store._one("SELECT id, name, role, created FROM users WHERE id = ?", user_id)

    def check(self, name: str, password: str) -> Row | None:
        """The account when ``password`` is its password, else None (an unknown name costs the same time)."""
        found = self.store._one("SELECT * FROM users WHERE name = ?", name.strip())
        try:
            HASHER.verify(found.password_hash if found else _decoy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if found is None:
            return None
        if HASHER.check_needs_rehash(found.password_hash):  # argon2-cffi's defaults grew stronger
            with self.store.connect() as db:
                db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (HASHER.hash(password), found.id))
        return self.by_id(found.id)
