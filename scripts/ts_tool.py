"""Small helper for Qt Linguist .ts files (stdlib only).

    python scripts/ts_tool.py stats FILE               total / finished / unfinished counts
    python scripts/ts_tool.py missing FILE             unfinished or empty messages, as JSON
    python scripts/ts_tool.py apply FILE MAPPING.json  fill translations from a JSON mapping

MAPPING.json is ``{context: {source: translation}}``. A translation may be a string, or a
list of strings for a numerus message (one per plural form; a plain string fills every
form). A message that also has a disambiguation ``<comment>`` can be addressed as
``"comment\\u0004source"``; a plain ``source`` key matches it too.

The file is edited as text, not re-serialised, so everything the mapping does not touch
(DOCTYPE, indentation, locations, entity style) stays byte-for-byte as pyside6-lupdate
wrote it, and lupdate's later runs produce small diffs.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

CONTEXT_RE = re.compile(r"<context>.*?</context>", re.S)
NAME_RE = re.compile(r"<name>(.*?)</name>", re.S)
MESSAGE_RE = re.compile(r"<message(?:\s[^>]*)?>.*?</message>", re.S)
SOURCE_RE = re.compile(r"<source>(.*?)</source>", re.S)
COMMENT_RE = re.compile(r"<comment>(.*?)</comment>", re.S)
# <translation .../> or <translation ...>...</translation>
TRANSLATION_RE = re.compile(r"<translation(?P<attrs>(?:\s[^>]*?)?)(?:/>|>(?P<body>.*?)</translation>)", re.S)
NUMERUSFORM_RE = re.compile(r"<numerusform(?:\s[^>]*?)?(?:/>|>(?P<body>.*?)</numerusform>)", re.S)
TYPE_ATTR_RE = re.compile(r"""\s+type\s*=\s*(["'])(?P<type>[^"']*)\1""")
HIDDEN_TYPES = {"obsolete", "vanished"}


def unescape(text: str) -> str:
    """Decode XML entities / character references as found in .ts files."""
    return html.unescape(text)


def escape(text: str) -> str:
    """Encode text the way lupdate does (Qt's protect())."""
    out = []
    for ch in text:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "'":
            out.append("&apos;")
        elif ord(ch) < 0x20 and ch not in "\n\t\r":
            out.append(f"&#x{ord(ch):x};")
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Message:
    context: str
    source: str
    comment: str | None
    numerus: bool
    type: str | None          # value of the translation's type attribute, if any
    forms: list[str] = field(default_factory=list)   # translation text(s), unescaped
    start: int = 0             # span of the <message> element in the file text
    end: int = 0

    @property
    def hidden(self) -> bool:
        return self.type in HIDDEN_TYPES

    @property
    def empty(self) -> bool:
        return not self.forms or any(f == "" for f in self.forms)

    @property
    def finished(self) -> bool:
        return self.type != "unfinished" and not self.empty


def parse(text: str) -> list[Message]:
    messages = []
    for ctx in CONTEXT_RE.finditer(text):
        block = ctx.group(0)
        name_match = NAME_RE.search(block)
        context = unescape(name_match.group(1)) if name_match else ""
        for msg in MESSAGE_RE.finditer(block):
            body = msg.group(0)
            src = SOURCE_RE.search(body)
            com = COMMENT_RE.search(body)
            tr = TRANSLATION_RE.search(body)
            head = body[: body.index(">") + 1]
            numerus = bool(re.search(r"""numerus\s*=\s*["']yes["']""", head))
            ttype = None
            forms: list[str] = []
            if tr:
                type_match = TYPE_ATTR_RE.search(tr.group("attrs") or "")
                ttype = type_match.group("type") if type_match else None
                inner = tr.group("body") or ""
                if numerus:
                    forms = [unescape(m.group("body") or "") for m in NUMERUSFORM_RE.finditer(inner)]
                else:
                    forms = [unescape(inner)]
            messages.append(Message(
                context=context,
                source=unescape(src.group(1)) if src else "",
                comment=unescape(com.group(1)) if com else None,
                numerus=numerus, type=ttype, forms=forms,
                start=ctx.start() + msg.start(), end=ctx.start() + msg.end()))
    return messages


def lookup(mapping: dict, msg: Message):
    table = mapping.get(msg.context)
    if not isinstance(table, dict):
        return None
    if msg.comment is not None:
        key = f"{msg.comment}\u0004{msg.source}"
        if key in table:
            return table[key]
    return table.get(msg.source)


def render_translation(msg: Message, value, old: re.Match | None, indent: str) -> str:
    attrs = TYPE_ATTR_RE.sub("", old.group("attrs") or "") if old else ""
    if msg.numerus:
        values = value if isinstance(value, list) else [value]
        count = max(len(msg.forms), len(values), 1)
        if not isinstance(value, list):
            values = [value] * count
        inner_indent = indent + "    "
        forms = "".join(f"\n{inner_indent}<numerusform>{escape(v)}</numerusform>" for v in values)
        return f"<translation{attrs}>{forms}\n{indent}</translation>"
    if isinstance(value, list):
        value = value[0] if value else ""
    return f"<translation{attrs}>{escape(value)}</translation>"


def apply(text: str, mapping: dict) -> tuple[str, int, list[tuple[str, str]]]:
    """Return (new text, number of messages changed, mapping entries that matched nothing)."""
    used: set[tuple[str, str]] = set()
    pieces = []
    pos = 0
    changed = 0
    for msg in parse(text):
        value = lookup(mapping, msg)
        if value is None or msg.hidden:
            continue
        if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise SystemExit(f"bad translation for {msg.context!r} / {msg.source!r}: {value!r}")
        if value == "" or value == []:
            continue   # never write an empty translation as finished
        used.add((msg.context, msg.source))
        if msg.comment is not None:
            used.add((msg.context, f"{msg.comment}\u0004{msg.source}"))
        body = text[msg.start:msg.end]
        old = TRANSLATION_RE.search(body)
        if old:
            line_start = body.rfind("\n", 0, old.start()) + 1
            indent = re.match(r"[ \t]*", body[line_start:]).group(0)
            new_body = body[:old.start()] + render_translation(msg, value, old, indent) + body[old.end():]
        else:   # no <translation> element at all: add one before </message>
            close = body.rindex("</message>")
            line_start = body.rfind("\n", 0, close) + 1
            indent = body[line_start:close] + "    " if not body[line_start:close].strip() else "        "
            new_tr = render_translation(msg, value, None, indent)
            new_body = body[:line_start] + indent + new_tr + "\n" + body[line_start:]
        if new_body != body:
            changed += 1
        pieces.append(text[pos:msg.start])
        pieces.append(new_body)
        pos = msg.end
    pieces.append(text[pos:])
    unused = [(ctx, src) for ctx, table in mapping.items() if isinstance(table, dict)
              for src in table if (ctx, src) not in used]
    return "".join(pieces), changed, unused


def cmd_stats(path: Path) -> int:
    msgs = [m for m in parse(path.read_text("utf-8")) if not m.hidden]
    finished = sum(m.finished for m in msgs)
    print(f"total: {len(msgs)}")
    print(f"finished: {finished}")
    print(f"unfinished: {len(msgs) - finished}")
    return 0


def cmd_missing(path: Path) -> int:
    rows = [[m.context, m.source] for m in parse(path.read_text("utf-8"))
            if not m.hidden and not m.finished]
    print(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


def cmd_apply(path: Path, mapping_path: Path) -> int:
    mapping = json.loads(mapping_path.read_text("utf-8"))
    if not isinstance(mapping, dict):
        raise SystemExit("mapping must be a JSON object {context: {source: translation}}")
    text = path.read_text("utf-8")
    new_text, changed, unused = apply(text, mapping)
    if new_text != text:
        path.write_text(new_text, "utf-8", newline="")
    for ctx, src in unused:
        print(f"warning: no message for {ctx!r} / {src!r}", file=sys.stderr)
    print(f"{changed} message(s) updated")
    return 0


def main(argv: list[str]) -> int:
    usage = __doc__.strip().splitlines()[2:5]
    if len(argv) < 2 or argv[0] not in {"stats", "missing", "apply"}:
        print("usage:\n" + "\n".join(usage), file=sys.stderr)
        return 2
    cmd, path = argv[0], Path(argv[1])
    if cmd == "apply":
        if len(argv) != 3:
            print("usage: ts_tool.py apply FILE MAPPING.json", file=sys.stderr)
            return 2
        return cmd_apply(path, Path(argv[2]))
    if len(argv) != 2:
        print(f"usage: ts_tool.py {cmd} FILE", file=sys.stderr)
        return 2
    return cmd_stats(path) if cmd == "stats" else cmd_missing(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
