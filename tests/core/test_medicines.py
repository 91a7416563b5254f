from __future__ import annotations

import pytest

from core.content import ContentStore
from core.medicines import medicine_mention, named_medicine


def entity(value: str) -> dict:
    return {"entity": "medicine", "value": value}


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("duloxetine", "duloxetine"),
        ("Cymbalta", "Cymbalta (duloxetine)"),
        ("ELAVIL", "Elavil (amitriptyline)"),
        ("amitriptiline", "amitriptyline"),
        ("Pamelor", "Pamelor (nortriptyline)"),
        ("effexor", "Effexor (venlafaxine)"),
    ],
)
def test_named_medicine(store: ContentStore, said: str, expected: str) -> None:
    assert named_medicine([entity(said)], store.medicines) == expected


def test_unknown_or_other_entities_are_ignored(store: ContentStore) -> None:
    assert named_medicine([entity("aspirin"), {"entity": "other", "value": "duloxetine"}], store.medicines) is None


def test_mention_uses_the_content_template(store: ContentStore) -> None:
    mention = medicine_mention([entity("Effexor")], store.medicines)
    assert mention == store.medicines.mention.format(medicine="Effexor (venlafaxine)")
