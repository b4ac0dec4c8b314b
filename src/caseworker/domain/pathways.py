"""Referral pathways: for a district (or the whole city), which services a woman who discloses
violence is sent to, sector by sector, in the layout GBV coordination groups use.

A pathway is defined by a ``PathwayDefinition``: for each of the seven ``SECTORS`` the ids of
its services in the order they are printed, whether they are in the district itself (``local``)
or the nearest ones elsewhere because the district has none, and a note as the coordinator
wrote it; the national lines that go on top. ``derive`` makes the definition from a directory;
the coordinator publishes the definitions of every district with the directory, so a centre
prints what the coordinator decided, not what its own local entries would add.

Which sector a service belongs to comes from the support taxonomy: the first of its categories
that a sector lists decides, so a service appears once. A confidential service (a shelter) is
always listed under shelter, by name only, reached through ŞÖNİM or ALO 183.

The definitions travel as JSON (``definitions_json`` / ``parse_definitions``); the format is
part of the directory publication (docs/directory.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from caseworker.domain.directory import Directory, Service
from caseworker.domain.district_tiles import TILE_OF
from caseworker.domain.text import search_key, visible_text
from caseworker.errors import InvalidInput
from caseworker.i18n import t

CITY = ""
HOTLINE_CATEGORIES = ("emergency_call", "hotline")
DEFINITIONS_FORMAT = "caseworker-pathways"
DEFINITIONS_VERSION = 1
MAX_SERVICES_PER_SECTOR = 12
MAX_NOTE_CHARS = 300


@dataclass(frozen=True)
class Sector:
    """One row of a pathway: its code, the taxonomy codes it gathers, and the national lines
    (by category) a woman is pointed to when neither the district nor the city has a service."""

    code: str
    categories: tuple[str, ...]
    fallback_lines: tuple[str, ...]


SECTORS: tuple[Sector, ...] = (
    Sector("health", ("health", "psychiatric"), ("health",)),
    Sector("psychosocial", ("womens_counselling_centre", "psychological_support", "womens_organisation", "migrant_support"), ("social_services",)),
    Sector("safety", ("sonim", "police", "gendarmerie"), ("police", "gendarmerie")),
    Sector("legal", ("legal_aid", "prosecutor"), ("police",)),
    Sector("shelter", ("shelter",), ("social_services",)),
    Sector("economic", ("social_assistance", "employment", "education"), ("social_services",)),
    Sector("child_protection", ("childcare", "social_services"), ("social_services",)),
)
SECTOR_CODES = tuple(sector.code for sector in SECTORS)


@dataclass(frozen=True)
class SectorEntries:
    sector: str
    services: tuple[str, ...]
    local: bool
    note: str = ""


@dataclass(frozen=True)
class PathwayDefinition:
    """``district`` "" is the whole city."""

    district: str
    hotlines: tuple[str, ...]
    sectors: tuple[SectorEntries, ...]

    def sector(self, code: str) -> SectorEntries:
        for entries in self.sectors:
            if entries.sector == code:
                return entries
        return SectorEntries(code, (), False)


# Kinds of service that are free by law or by their nature in Türkiye: a service of one of them
# with no fee text is printed as free; any other with no fee text says "ask about fees".
FREE_CATEGORIES = frozenset({
    "sonim", "shelter", "legal_aid", "emergency_call", "hotline", "police", "gendarmerie",
    "prosecutor", "social_services", "womens_counselling_centre",
})
_FREE_WORDS = ("ucretsiz", "bedava", "free")


def fee_status(service: Service) -> tuple[str, str]:
    """("free", ""), ("fee", the directory's fee text) or ("ask", "")."""
    text = service.fees_description.strip()
    if text:
        key = search_key(text)
        return ("free", "") if any(word in key for word in _FREE_WORDS) else ("fee", text)
    return ("free", "") if FREE_CATEGORIES & set(service.categories) else ("ask", "")


def is_hotline(service: Service) -> bool:
    return bool(set(service.categories) & set(HOTLINE_CATEGORIES))


def sector_of(service: Service) -> str | None:
    """The sector a service is printed under, or None (a national line, or no sector fits)."""
    if service.confidential and "shelter" in service.categories:
        return "shelter"
    if is_hotline(service):
        return None
    for code in service.categories:
        for sector in SECTORS:
            if code in sector.categories:
                return sector.code
    return None


def _distance(first: str, second: str) -> float:
    """Distance between two districts on the tile map; unknown districts are far away."""
    a, b = TILE_OF.get(first), TILE_OF.get(second)
    if a is None or b is None:
        return 99.0
    return ((a.column - b.column) ** 2 + (a.row - b.row) ** 2) ** 0.5


def derive(directory: Directory, district: str) -> PathwayDefinition:
    """The pathway of ``district`` ("" for the city) from the active services of ``directory``.

    A district's sector lists the district's own services; when it has none, the city-wide
    ones, or else those of the nearest districts on the tile map, or else the national lines of
    that sector. The city's pathway lists city-wide services, then every district's."""
    active = [service for service in directory.services if service.status == "active"]
    hotlines = tuple(service.id for service in active if is_hotline(service) and not service.confidential and _reachable(service))
    by_sector: dict[str, list[Service]] = {code: [] for code in SECTOR_CODES}
    for service in active:
        code = sector_of(service)
        if code is not None:
            by_sector[code].append(service)
    key = search_key(district)
    sectors = []
    for sector in SECTORS:
        candidates = by_sector[sector.code]
        citywide = [service for service in candidates if not service.district]
        if not district:
            chosen = citywide + sorted((s for s in candidates if s.district), key=lambda s: (search_key(s.district), search_key(s.name)))
            local = bool(chosen)
        else:
            chosen = [service for service in candidates if search_key(service.district) == key]
            if sector.code == "shelter":
                chosen = chosen + citywide
            local = bool(chosen)
            if not chosen:
                chosen = citywide or _nearest(candidates, district)
        if not chosen:
            chosen = [service for service in active if service.id in hotlines and set(service.categories) & set(sector.fallback_lines)]
        sectors.append(SectorEntries(sector.code, tuple(service.id for service in chosen[:MAX_SERVICES_PER_SECTOR]), local))
    return PathwayDefinition(district, hotlines, tuple(sectors))


def _reachable(service: Service) -> bool:
    return bool(service.phones or any(location.phones for location in service.locations) or service.url)


def _nearest(candidates: Sequence[Service], district: str) -> list[Service]:
    elsewhere = [service for service in candidates if service.district]
    if not elsewhere:
        return []
    closest = min(_distance(district, service.district) for service in elsewhere)
    return [service for service in elsewhere if _distance(district, service.district) == closest]


def derive_all(directory: Directory, districts: Iterable[str]) -> tuple[PathwayDefinition, ...]:
    """The city's pathway and each district's, in that order."""
    return (derive(directory, CITY),) + tuple(derive(directory, district) for district in districts)


# --- the exchange format ----------------------------------------------------------------------


def definitions_json(definitions: Sequence[PathwayDefinition]) -> dict:
    return {
        "format": DEFINITIONS_FORMAT,
        "version": DEFINITIONS_VERSION,
        "pathways": [
            {
                "district": definition.district,
                "hotlines": list(definition.hotlines),
                "sectors": [
                    {"sector": entries.sector, "services": list(entries.services), "local": entries.local, "note": entries.note}
                    for entries in definition.sectors
                ],
            }
            for definition in definitions
        ],
    }


def parse_definitions(data: object) -> tuple[PathwayDefinition, ...]:
    """The definitions in ``data`` (as ``definitions_json`` writes them); ``InvalidInput`` saying
    what is wrong otherwise."""
    if not isinstance(data, dict) or data.get("format") != DEFINITIONS_FORMAT:
        raise InvalidInput(t("The pathway definitions are not in Caseworker's format."))
    if data.get("version") != DEFINITIONS_VERSION:
        raise InvalidInput(t("The pathway definitions are of version {version}, which this Caseworker does not know; install the newer version.", version=data.get("version")))
    pathways = data.get("pathways")
    if not isinstance(pathways, list):
        raise InvalidInput(t("The pathway definitions are not in Caseworker's format."))
    definitions = []
    seen: set[str] = set()
    for item in pathways:
        definition = _parse_one(item)
        if search_key(definition.district) in seen:
            raise InvalidInput(t("The pathway of {district} is defined twice.", district=definition.district or t("the whole city")))
        seen.add(search_key(definition.district))
        definitions.append(definition)
    return tuple(definitions)


def _ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value) or len(value) > 200:
        raise InvalidInput(t("The pathway definitions are not in Caseworker's format."))
    return tuple(value)


def _parse_one(item: object) -> PathwayDefinition:
    if not isinstance(item, dict) or not isinstance(item.get("district"), str) or not isinstance(item.get("sectors"), list):
        raise InvalidInput(t("The pathway definitions are not in Caseworker's format."))
    sectors = []
    for entry in item["sectors"]:
        if not isinstance(entry, dict) or entry.get("sector") not in SECTOR_CODES or not isinstance(entry.get("local"), bool):
            raise InvalidInput(t("The pathway definitions are not in Caseworker's format."))
        note = entry.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
            raise InvalidInput(t("A note of a pathway is longer than {limit} characters.", limit=MAX_NOTE_CHARS))
        sectors.append(SectorEntries(entry["sector"], _ids(entry.get("services")), entry["local"], visible_text(note)))
    return PathwayDefinition(item["district"], _ids(item.get("hotlines", [])), tuple(sectors))
