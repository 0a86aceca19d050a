"""The data model shared by every stage: entities, relations, documents, and the
relation schema of the annotation guide (which entity types each label allows)."""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_LABELS = ("PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "PRODUCT")

ACTORS = frozenset({"PERSON", "ORG", "GPE"})


@dataclass(frozen=True)
class RelationType:
    """What a relation label allows: head and tail entity types, and whether order matters."""

    label: str
    heads: frozenset[str]
    tails: frozenset[str]
    symmetric: bool

    def allows(self, head_label: str, tail_label: str) -> bool:
        return head_label in self.heads and tail_label in self.tails


RELATION_TYPES: dict[str, RelationType] = {
    rt.label: rt
    for rt in (
        RelationType("met-with", ACTORS, ACTORS, symmetric=True),
        RelationType(
            "deployed-to",
            frozenset({"ORG", "NORP", "GPE", "PRODUCT"}),
            frozenset({"GPE", "LOC", "FAC"}),
            symmetric=False,
        ),
        RelationType(
            "backed-by",
            ACTORS | {"NORP"},
            ACTORS | {"NORP"},
            symmetric=False,
        ),
    )
}
RELATION_LABELS = tuple(RELATION_TYPES)


@dataclass(frozen=True)
class Entity:
    """A mention: character offsets into the document text, END exclusive."""

    id: str
    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Relation:
    """Head is Arg1, tail is Arg2 (entity ids), as the guide defines them per label."""

    id: str
    label: str
    head: str
    tail: str


@dataclass
class Document:
    doc_id: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.entities if e.id == entity_id)
