"""Read and write brat standoff (.ann) files: T lines for entities, R lines for relations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema import Document, Entity, Relation

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+) (\d+)\t(.*)$")
_R_LINE = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")


@dataclass(frozen=True)
class AnnLine:
    """One parsed line with its 1-based line number, kept for error messages."""

    lineno: int
    item: Entity | Relation


class BratSyntaxError(ValueError):
    def __init__(self, path: Path | str, lineno: int, message: str):
        super().__init__(f"{path}:{lineno}: {message}")
        self.path, self.lineno, self.message = str(path), lineno, message


def parse_ann(text: str, path: Path | str = "<ann>") -> list[AnnLine]:
    """Parse .ann text; raise BratSyntaxError on the first line that is neither T, R, # nor blank."""
    lines: list[AnnLine] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        if m := _T_LINE.match(raw):
            tid, label, start, end, covered = m.groups()
            lines.append(AnnLine(lineno, Entity(tid, label, int(start), int(end), covered)))
        elif m := _R_LINE.match(raw):
            rid, label, head, tail = m.groups()
            lines.append(AnnLine(lineno, Relation(rid, label, head, tail)))
        else:
            raise BratSyntaxError(
                path,
                lineno,
                f"cannot parse {raw[:60]!r} (expected 'Tn<TAB>LABEL START END<TAB>text', "
                "'Rn<TAB>LABEL Arg1:Tx Arg2:Ty' or a '#' note)",
            )
    return lines


def read_text(path: Path) -> str:
    # newline="" keeps "\r\n" as two characters, so offsets match the file as decoded.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def read_document(txt_path: Path) -> Document:
    """Load NAME.txt and NAME.ann into a Document (no validation beyond syntax)."""
    ann_path = txt_path.with_suffix(".ann")
    items = [line.item for line in parse_ann(read_text(ann_path), ann_path)]
    return Document(
        doc_id=txt_path.stem,
        text=read_text(txt_path),
        entities=[i for i in items if isinstance(i, Entity)],
        relations=[i for i in items if isinstance(i, Relation)],
    )


def format_ann(entities: list[Entity], relations: list[Relation]) -> str:
    rows = [f"{e.id}\t{e.label} {e.start} {e.end}\t{e.text}" for e in entities]
    rows += [f"{r.id}\t{r.label} Arg1:{r.head} Arg2:{r.tail}" for r in relations]
    return "".join(row + "\n" for row in rows)
