"""The recovery key sheet printed at set-up, and the record of a database key rotation (issue 24).

The sheet (A4) says what the recovery key is, when it is needed and where to keep it, and
carries the key itself twice: large, in a monospace font (0 and O, 1 and I cannot be
confused; the key uses no O, I, L or U anyway), and as a QR code holding exactly the
key. Orchard never keeps the key, so this sheet cannot be printed again: the words say so.

The rotation record (A4) notes when the database key was changed and by whom, with the new
key's check value (an HMAC of a fixed label under the key: it tells which key a file has,
and reveals nothing about the key), for the store's records.

Both files are written with mode 0600 (the sheet holds a secret). The sentences live
here, in English and Simplified Chinese (``reports.i18n`` holds the other documents').
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from core.vault import atomic_write
from reports.base import ACCENT, INK, RULE, Document, fmt_datetime, qr_drawing

MONO, MONO_BOLD = "Courier", "Courier-Bold"

EN: dict[str, str] = {
    "sheet_title": "Recovery key",
    "sheet_lead": "Store {name} ({code}). Made {at}.",
    "what_head": "What this key is for",
    "what_body": (
        "Orchard keeps the key that opens this store's database in the computer's keyring. If the keyring loses "
        "it (a user profile rebuilt, the computer restored or replaced), Orchard asks for this recovery key, "
        "opens the store with it and puts the key back. It never makes a new, empty store over the old one. "
        "With this key an administrator who is locked out, or has forgotten the password, can also be given a "
        "new password."),
    "key_head": "The recovery key",
    "key_hint": "Type it as printed; capitals, spaces and dashes do not matter. The QR code holds the same key.",
    "keep_head": "Where to keep it",
    "keep_body": (
        "Keep this sheet away from the counter computer: in a safe or a locked drawer of the store's owner, or "
        "typed into the company's password manager. Anyone who has this key and a copy of the database can "
        "read the store's data: do not photograph it, e-mail it or leave it at the counter."),
    "lost_head": "If the sheet is lost",
    "lost_body": (
        "Orchard does not keep the recovery key and cannot print it again. An administrator can make a new "
        "recovery key in Settings; the old one then stops working. Changing the database key does not change "
        "the recovery key."),
    "kept_by": "Kept by", "kept_where": "Where", "signed": "Signature",
    "record_title": "Database key changed",
    "record_lead": "Store {name}. A record of a change of the key that encrypts the store's database.",
    "when": "When", "by": "Changed by", "key_check": "New key's check value",
    "record_body": (
        "From this moment the store's database opens only with the new key; the old key no longer opens it. "
        "The recovery key made for this store still opens the database: no new recovery key is needed. The "
        "check value identifies the new key without revealing it."),
    "filed_by": "Filed by",
}

ZH: dict[str, str] = {
    "sheet_title": "恢复密钥",
    "sheet_lead": "门店 {name}（{code}）。生成于 {at}。",
    "what_head": "这个密钥的用途",
    "what_body": (
        "Orchard 把打开本店数据库的密钥保存在电脑的密钥环中。如果密钥环丢失了它（用户配置被重建、电脑被还原或更换），"
        "Orchard 会要求输入此恢复密钥，用它打开门店数据，并把密钥放回密钥环。Orchard 绝不会在原门店上新建一个空门店。"
        "凭此密钥，还可以为被锁定或忘记密码的管理员设置新密码。"),
    "key_head": "恢复密钥",
    "key_hint": "按印刷内容输入即可；大小写、空格和短横线都不影响。二维码中是同一个密钥。",
    "keep_head": "保管方式",
    "keep_body": (
        "请将本页存放在远离收银电脑的地方：店主的保险柜或上锁的抽屉，或录入公司的密码管理器。"
        "任何人只要拿到此密钥和数据库副本，就能读取门店数据：请勿拍照、通过电子邮件发送或留在柜台。"),
    "lost_head": "如果本页遗失",
    "lost_body": (
        "Orchard 不保存恢复密钥，也无法再次打印。管理员可以在“设置”中生成新的恢复密钥，旧密钥随即失效。"
        "更换数据库密钥不会改变恢复密钥。"),
    "kept_by": "保管人", "kept_where": "存放地点", "signed": "签名",
    "record_title": "更换数据库密钥",            # the catalogue's word (core.terms "vault.rotated")
    "record_lead": "门店 {name}。本记录载明门店数据库加密密钥的一次更换。",
    "when": "时间", "by": "操作人", "key_check": "新密钥的校验值",
    "record_body": (
        "自此时起，门店数据库只能用新密钥打开，旧密钥已无法打开。为本店生成的恢复密钥仍可打开数据库，无需新的恢复密钥。"
        "校验值可识别新密钥，但不会泄露密钥本身。"),
    "filed_by": "归档人",
}

STRINGS = {"en": EN, "zh_CN": ZH}


def text(lang: str, key: str, **params: Any) -> str:
    found = STRINGS.get(lang, EN).get(key) or EN[key]
    return found.format(**params) if params else found


def _zone(at: datetime) -> ZoneInfo | str:
    tz = at.tzinfo
    return tz if isinstance(tz, ZoneInfo) else "UTC"


@dataclass(frozen=True)
class _Sheet:
    store_name: str
    store_code: str
    code: str
    created_at: datetime


@dataclass(frozen=True)
class _Record:
    store_name: str
    when: datetime
    who: str
    key_check: str


class _Paper(Document):
    numbered = False

    def s(self, key: str, **params: Any) -> str:
        return text(self.lang, key, **params)

    def header_lines(self) -> tuple[str, str]:
        return "Orchard", self.title()

    def metadata(self) -> dict[str, str]:
        return {"title": self.title(), "author": "Orchard", "creator": "Orchard", "subject": self.title()}

    def sign_lines(self, labels: list[str]) -> Table:
        rows = [[self.p(label, self.s_small), ""] for label in labels]
        t = Table(rows, colWidths=[0.25 * self.width(), 0.75 * self.width()], rowHeights=[11 * mm] * len(rows),
                  hAlign="LEFT")
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return t


class RecoverySheet(_Paper):
    data: _Sheet

    def title(self) -> str:
        return self.s("sheet_title")

    def story(self) -> list[Flowable]:
        d = self.data
        at = fmt_datetime(d.created_at, _zone(d.created_at), self.lang)
        code_style = ParagraphStyle("code", fontName=MONO_BOLD, fontSize=22, leading=30, textColor=INK,
                                    alignment=TA_CENTER)
        code_box = Table([[Paragraph(d.code, code_style)]], colWidths=[self.width()], hAlign="LEFT")
        code_box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                                      ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                                      ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
        qr_size = 38 * mm
        beside = Table([[qr_drawing(d.code, qr_size), self.p(self.s("key_hint"), self.s_small)]],
                       colWidths=[qr_size + 6 * mm, self.width() - qr_size - 6 * mm], hAlign="LEFT")
        beside.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
        return [
            self.h1(self.title()),
            self.p(self.s("sheet_lead", name=d.store_name, code=d.store_code, at=at)),
            self.h2(self.s("what_head")), self.p(self.s("what_body")),
            self.h2(self.s("key_head")), code_box, self.spacer(3 * mm), beside,
            self.h2(self.s("keep_head")), self.p(self.s("keep_body")),
            self.h2(self.s("lost_head")), self.p(self.s("lost_body")),
            self.spacer(4 * mm),
            self.sign_lines([self.s("kept_by"), self.s("kept_where"), self.s("signed")]),
        ]


class RotationRecord(_Paper):
    data: _Record

    def title(self) -> str:
        return self.s("record_title")

    def story(self) -> list[Flowable]:
        d = self.data
        check = " ".join(d.key_check[i:i + 4] for i in range(0, len(d.key_check), 4))
        mono = ParagraphStyle("mono", fontName=MONO, fontSize=9, leading=12, textColor=INK)
        return [
            self.h1(self.title()),
            self.p(self.s("record_lead", name=d.store_name)),
            self.spacer(3 * mm),
            self.kv([(self.s("when"), fmt_datetime(d.when, _zone(d.when), self.lang)), (self.s("by"), d.who),
                     (self.s("key_check"), Paragraph(check, mono))]),
            self.spacer(3 * mm),
            self.p(self.s("record_body")),
            self.spacer(6 * mm),
            self.sign_lines([self.s("filed_by"), self.s("signed")]),
        ]


def _write(path: Path | str, data: bytes) -> Path:
    path = Path(path)
    atomic_write(path, data)        # 0600: the sheet carries the recovery key
    return path


def render(path: Path | str, *, store_name: str, store_code: str, code: str, created_at: datetime,
           lang: str = "en") -> Path:
    """Write the recovery key sheet for ``code`` (normalised first, so the sheet shows the
    canonical form) to ``path``; returns the path."""
    from core.recovery.codes import normalise
    if created_at.tzinfo is None:
        raise ValueError("created_at must be an aware time")
    sheet = _Sheet(store_name, store_code, normalise(code), created_at)
    return _write(path, RecoverySheet(sheet, lang=lang).render())


def render_rotation_record(path: Path | str, *, store_name: str, when: datetime, who: str, key_check: str,
                           lang: str = "en") -> Path:
    """Write the record of a database key rotation to ``path``; returns the path."""
    if when.tzinfo is None:
        raise ValueError("when must be an aware time")
    return _write(path, RotationRecord(_Record(store_name, when, who, key_check), lang=lang).render())


__all__ = ["RecoverySheet", "RotationRecord", "render", "render_rotation_record", "text"]
