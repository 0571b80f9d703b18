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


# display name, role, PIN, password, skills, language
_STAFF = (
    ("Lin Hui 林慧", Role.ADMIN, "1111", "demo-admin-1", (), "zh_CN"),
    ("Chen Jing 陈静", Role.MANAGER, "2222", "demo-manager-1", (), "zh_CN"),
    ("Wang Lei 王磊", Role.ASSOCIATE, "3333", "demo-assoc-1", (), "zh_CN"),
    ("Emily Zhou", Role.ASSOCIATE, "3344", "demo-assoc-2", (), "en"),
    ("Li Qiang 李强", Role.TECHNICIAN, "4444", "demo-tech-1", ("screen", "battery", "board"), "zh_CN"),
    ("Zhao Min 赵敏", Role.TECHNICIAN, "4455", "demo-tech-2", ("screen", "battery", "setup"), "zh_CN"),
    ("Tom Becker", Role.TECHNICIAN, "4466", "demo-tech-3", ("laptop", "board", "setup"), "en"),
    ("Sun Hao 孙浩", Role.TECHNICIAN, "4477", "demo-tech-4", ("screen", "battery", "laptop", "setup"),
     "zh_CN"),
)


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
