"""Build the project's own spaCy pipeline (no pretrained model can be downloaded).

blank English + lookup lemmatizer (tables from spacy-lookups-data) + an entity ruler
that tags medicine names, brands and common misspellings from content/medicines.yml.
Run by ``make install``: ``python -m scripts.build_spacy_model OUTPUT_DIR``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Dict, List

import spacy
import yaml
from spacy.language import Language

MEDICINE_LABEL = "medicine"  # the Rasa entity name in domain.yml


def medicine_patterns(medicines_file: Path) -> List[Dict[str, object]]:
    """Entity-ruler phrase patterns for every spelling of every medicine."""
    data = yaml.safe_load(medicines_file.read_text(encoding="utf-8"))
    patterns = []
    for medicine in data["medicines"]:
        spellings = [medicine["name"], *medicine.get("brands", []), *medicine.get("misspellings", [])]
        for spelling in spellings:
            patterns.append({"label": MEDICINE_LABEL, "pattern": spelling, "id": medicine["name"]})
    return patterns


def build_pipeline(medicines_file: Path) -> Language:
    """Return the initialised pipeline."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    nlp.initialize()
    ruler.add_patterns(medicine_patterns(medicines_file))
    nlp.meta["name"] = "neuropathic_pain_assistant"
    nlp.meta["description"] = "Blank English, lookup lemmatizer, medicine entity ruler"
    return nlp


def main() -> None:
    """Build the pipeline and save it to the given directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--medicines", type=Path, default=Path("content/medicines.yml"))
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline(args.medicines).to_disk(args.output)
    print(f"spaCy pipeline written to {args.output}")


if __name__ == "__main__":
    main()
