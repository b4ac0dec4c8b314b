"""The Turkish taxonomy of support services, and the terms that carry our additions in HSDS.

``resources/directory/taxonomy.json`` holds two taxonomies with fixed UUIDs:

* ``support``: the kinds of service a centre refers women to (ŞÖNİM, shelter, bar legal aid,
  ...), each with a stable code, Turkish and English labels and descriptions. Services list
  these codes in ``Service.categories``; HSDS exports carry them as attributes.
* ``fields``: one term per field we add to HSDS (district, source, confidential, sample); an
  HSDS attribute with such a term carries the field's value in its ``value``.

Codes and ids are part of the exchange contract: they are never reused with a new meaning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from caseworker.domain.directory import Taxonomy, TaxonomyTerm
from caseworker.i18n import current_language
from caseworker.paths import resource


@dataclass(frozen=True)
class Category:
    """One term of a Caseworker taxonomy, with labels in both languages."""

    code: str
    id: str
    label_tr: str
    label_en: str
    description_tr: str
    description_en: str

    def label(self, language: str | None = None) -> str:
        return self.label_en if (language or current_language()) == "en" else self.label_tr

    def description(self, language: str | None = None) -> str:
        return self.description_en if (language or current_language()) == "en" else self.description_tr


@dataclass(frozen=True)
class CaseworkerTaxonomy:
    taxonomy: Taxonomy
    terms: tuple[Category, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(term.code for term in self.terms)

    def term(self, code: str) -> Category:
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(code)

    def by_id(self, term_id: str) -> Category | None:
        for term in self.terms:
            if term.id == term_id:
                return term
        return None

    def hsds_term(self, code: str) -> TaxonomyTerm:
        """The term as HSDS publishes it: Turkish name and description, ``language`` "tr"."""
        term = self.term(code)
        return TaxonomyTerm(
            id=term.id,
            name=term.label_tr,
            description=term.description_tr,
            code=term.code,
            taxonomy=self.taxonomy.name,
            language="tr",
            taxonomy_detail=self.taxonomy,
        )


@lru_cache(maxsize=1)
def _document() -> dict:
    path = resource("directory", "taxonomy.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _load(part: str) -> CaseworkerTaxonomy:
    data = _document()[part]
    taxonomy = Taxonomy(**data["taxonomy"])
    terms = tuple(
        Category(
            code=item["code"],
            id=item["id"],
            label_tr=item["tr"],
            label_en=item["en"],
            description_tr=item["description_tr"],
            description_en=item["description_en"],
        )
        for item in data["terms"]
    )
    return CaseworkerTaxonomy(taxonomy, terms)


@lru_cache(maxsize=1)
def support_taxonomy() -> CaseworkerTaxonomy:
    """The kinds of support service (``Service.categories`` takes its codes)."""
    return _load("support")


@lru_cache(maxsize=1)
def field_taxonomy() -> CaseworkerTaxonomy:
    """The terms that carry Caseworker's additions to HSDS as attributes."""
    return _load("fields")


def category_label(code: str, language: str | None = None) -> str:
    """The label of a support category in ``language`` (default: the current language)."""
    return support_taxonomy().term(code).label(language)
