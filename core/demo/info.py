"""What a demo build hands back: the store, its staff and their demo sign-ins."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass

from core.permissions import Role


@dataclass(frozen=True)
class DemoStaff:
    display_name: str
    staff_number: str
    role: str
    pin: str
    password: str
    skills: tuple[str, ...] = ()
    staff_id: uuid.UUID | None = None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@dataclass(frozen=True)
class DemoInfo:
    """What ``build_demo`` made: the store, the staff and their demo credentials, row counts."""

    store_id: uuid.UUID
    store_code: str
    store_name: str
    staff: tuple[DemoStaff, ...]
    counts: tuple[tuple[str, int], ...] = ()
    seconds: float = 0.0

    def staff_with_role(self, role: Role | str) -> tuple[DemoStaff, ...]:
        return tuple(m for m in self.staff if m.role == Role(role).value)

    def credentials_text(self) -> str:
        """A short table of the demo sign-ins, to print once after building."""
        head = ("No.", "Name", "Role", "PIN", "Password", "Skills")
        rows = [(m.staff_number, m.display_name, m.role, m.pin, m.password, ", ".join(m.skills))
                for m in self.staff]
        widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
        lines = [f"Demo store {self.store_code} · {self.store_name}: staff sign-in (demo data only; "
                 "change these before real use)",
                 "  ".join(_pad(h, w) for h, w in zip(head, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join(lines)


@dataclass(frozen=True)
class DemoConsole:
    """How to reach the demo HQ's web console and whom to sign in as (demo data only; the
    demo's HQ makes it: hq.demo)."""
    url: str
    username: str
    password: str
