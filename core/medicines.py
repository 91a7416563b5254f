"""Recognising the medicine a patient names, so answers can say which one they are about."""

from __future__ import annotations

from typing import Any, Dict, Iterable

from core.content import MedicineList

MEDICINE_ENTITY = "medicine"


def medicine_display_names(medicines: MedicineList) -> Dict[str, str]:
    """Map every known spelling (lower case) to how the answer should name it.

    Generic names and misspellings map to the generic name; a brand maps to
    "Brand (generic)", so the patient sees the name they used.
    """
    names: Dict[str, str] = {}
    for medicine in medicines.medicines:
        names[medicine.name.lower()] = medicine.name
        for misspelling in medicine.misspellings:
            names[misspelling.lower()] = medicine.name
        for brand in medicine.brands:
            names[brand.lower()] = f"{brand} ({medicine.name})"
    return names


def named_medicine(entities: Iterable[Dict[str, Any]], medicines: MedicineList) -> str | None:
    """Return the display name of the first medicine entity in the message, if any."""
    names = medicine_display_names(medicines)
    for entity in entities:
        if entity.get("entity") == MEDICINE_ENTITY:
            name = names.get(str(entity.get("value", "")).strip().lower())
            if name:
                return name
    return None


def medicine_mention(entities: Iterable[Dict[str, Any]], medicines: MedicineList) -> str | None:
    """Return the content's mention sentence for the named medicine, or None."""
    name = named_medicine(entities, medicines)
    return medicines.mention.format(medicine=name) if name else None


def generic_names(medicines: MedicineList) -> Dict[str, str]:
    """Map every known spelling (lower case) to the medicine's generic name."""
    names: Dict[str, str] = {}
    for medicine in medicines.medicines:
        for spelling in (medicine.name, *medicine.misspellings, *medicine.brands):
            names[spelling.lower()] = medicine.name
    return names
