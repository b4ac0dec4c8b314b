"""The districts of İzmir, the first deployment's reporting areas (city → district → centre)."""

from __future__ import annotations

from caseworker.domain.text import search_key
from caseworker.errors import InvalidInput
from caseworker.i18n import t

# The 30 districts of İzmir, in Turkish alphabetical order (as ``tr_sort_key`` sorts them).
IZMIR_DISTRICTS: tuple[str, ...] = (
    "Aliağa",
    "Balçova",
    "Bayındır",
    "Bayraklı",
    "Bergama",
    "Beydağ",
    "Bornova",
    "Buca",
    "Çeşme",
    "Çiğli",
    "Dikili",
    "Foça",
    "Gaziemir",
    "Güzelbahçe",
    "Karabağlar",
    "Karaburun",
    "Karşıyaka",
    "Kemalpaşa",
    "Kınık",
    "Kiraz",
    "Konak",
    "Menderes",
    "Menemen",
    "Narlıdere",
    "Ödemiş",
    "Seferihisar",
    "Selçuk",
    "Tire",
    "Torbalı",
    "Urla",
)


def proper_district(text: str) -> str | None:
    """İzmir's spelling of a district typed loosely (``"KARŞIYAKA"``, ``"karsiyaka"`` →
    ``"Karşıyaka"``), or None when the text names none of the 30."""
    key = search_key(text)
    for name in IZMIR_DISTRICTS:
        if search_key(name) == key:
            return name
    return None


def normalised_district(text: str) -> str:
    """The proper spelling when the text names a district of İzmir; other text as it is (trimmed)."""
    return proper_district(text) or text.strip()


def require_district(text: str, *, empty_allowed: bool = False, empty_means: str = "") -> str:
    """The proper spelling of a district someone typed, or ``InvalidInput`` saying what to type.

    ``empty_allowed``: "" is accepted (and returned) — for a coordinator, a city-wide service or a
    filter left out; ``empty_means`` is the sentence that says so in the message.
    """
    if not text.strip():
        if empty_allowed:
            return ""
        raise InvalidInput(t("Give the centre's district, one of the 30 districts of İzmir: {districts}.", districts=", ".join(IZMIR_DISTRICTS)))
    found = proper_district(text)
    if found is None:
        raise InvalidInput(
            t("“{value}” is not a district of İzmir. Use one of the 30 districts: {districts}.", value=text.strip(), districts=", ".join(IZMIR_DISTRICTS))
            + (" " + empty_means if empty_means else "")
        )
    return found
