"""Optional step of the clinote-embed build (an experiment, not run by train.sh): extra training pairs from
reference vocabularies, for fine-tuning only. They did not raise dev recall (see MODEL_CARD.md); to repeat:
  python3 build/pairs.py --data $DATA --work work icd_includes drugbank fda icd_drug_see
  node --import tsx build/tokenize.ts encode-jsonl . work
  TRAIN_CONFIG='{"extra": {"drugbank": -1, "fda": -1, "icd_includes": -1, "icd_drug_see": -1}}' python3 build/train.py ...

The synonym concepts of prepare.py define the evaluation (their names are the candidates), so extra material
does not become concepts; it is written as pair groups for the contrastive loss only:
  extra_pairs.jsonl   {"source", "texts": [a, b, ...]} -- the texts of one group name the same thing
Sources (each optional, by name on the command line):
  icd_includes   ICD-10-CM FY2021 Tabular List: a code's title <-> its "includes" notes (category-level synonyms)
  icd_parent     ICD-10-CM FY2021 Tabular List: a code's title <-> its parent's title (a weak, hierarchical positive)
  drugbank       DrugBank open vocabulary (CC0): common name <-> its synonyms (INN variants, salts, code names)
  fda            Drugs@FDA Products (public domain): brand name <-> its single active ingredient
  icd_drug_see   ICD-10-CM FY2026 Table of Drugs and Chemicals: "see" cross references (a name <-> the name it refers to)
Protection: every text of a held-out or dev concept (its name and terms, read from concepts.jsonl) is protected,
compared after lower-casing and after also dropping punctuation; a group loses every protected text, and a
group left with fewer than two texts is dropped. No held-out or dev text therefore appears in any extra pair.
"""

import argparse
import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

csv.field_size_limit(sys.maxsize)

MAX_SYNONYMS = 8
MAX_WORDS = 8


def norm(text):
    return " ".join(text.lower().split())


def loose(text):
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def clean_term(text):
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\bNOS\b", " ", text)
    return " ".join(text.split()).strip(" ,;:-")


def protected_keys(concepts_file):
    keys = set()
    with open(concepts_file, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["split"] != "train":
                for text in [record["name"]] + record["terms"]:
                    keys.add(norm(text))
                    keys.add(loose(text))
    keys.discard("")
    return keys


def icd_root(data):
    return ET.parse(os.path.join(data, "icd10cm/icd10cm-fy2021-jan/icd10cm_tabular_2021.xml")).getroot()


def icd_includes(data):
    for diag in icd_root(data).iter("diag"):
        title = diag.findtext("desc")
        terms = [clean_term(n.text) for el in diag.findall("includes") for n in el.findall("note") if n.text]
        if title and terms:
            yield [title] + terms


def icd_parent(data):
    def walk(diag, parent_title):
        title = diag.findtext("desc")
        if parent_title and title:
            yield [title, parent_title]
        for child in diag.findall("diag"):
            yield from walk(child, title)

    for chapter in icd_root(data).findall("chapter"):
        for section in chapter.findall("section"):
            for category in section.findall("diag"):
                yield from walk(category, None)


def drugbank(data):
    with open(os.path.join(data, "lexicons/drugbank-open-vocabulary/drugbank_vocabulary.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["Common name"].strip()
            synonyms = []
            for synonym in (row["Synonyms"] or "").split(" | "):
                synonym = synonym.strip()
                # Long systematic chemical names and bracketed peptide notations teach nothing a reader types.
                if (synonym and len(synonym.split()) <= MAX_WORDS and not re.search(r"[\[\]{}]", synonym)
                        and synonym.isascii()):
                    synonyms.append(synonym)
            if name and synonyms:
                yield [name] + synonyms[:MAX_SYNONYMS]


def fda(data):
    by_brand = {}
    with open(os.path.join(data, "lexicons/fda-drugsatfda/Products.txt"), encoding="utf-8", errors="replace") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            ingredient = (row["ActiveIngredient"] or "").strip()
            brand = (row["DrugName"] or "").strip()
            if brand and ingredient and ";" not in ingredient:
                by_brand.setdefault(brand, set()).add(ingredient)
    for brand, ingredients in sorted(by_brand.items()):
        if len(ingredients) == 1:
            yield [brand, next(iter(ingredients))]


def icd_drug_see(data):
    root = ET.parse(os.path.join(data, "icd10cm/icd10cm-fy2026-apr/icd10cm-drug-April-1-2026-XML.xml")).getroot()
    for term in root.iter("mainTerm"):
        see = term.findtext("see")
        title = term.find("title")
        if see and title is not None and title.text:
            yield [title.text.strip(), see.replace(",", " ").strip()]


SOURCES = {"icd_includes": icd_includes, "icd_parent": icd_parent, "drugbank": drugbank, "fda": fda,
           "icd_drug_see": icd_drug_see}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("sources", nargs="*", help=f"any of {sorted(SOURCES)}")
    args = parser.parse_args()
    protected = protected_keys(os.path.join(args.work, "concepts.jsonl"))
    written, dropped = {}, 0
    with open(os.path.join(args.work, "extra_pairs.jsonl"), "w", encoding="utf-8") as out:
        for source in args.sources:
            for group in SOURCES[source](args.data):
                texts, seen = [], set()
                for text in group:
                    text = " ".join(text.split())
                    key = norm(text)
                    if len(text) < 2 or key in seen:
                        continue
                    if key in protected or loose(text) in protected:
                        dropped += 1
                        continue
                    seen.add(key)
                    texts.append(text)
                if len(texts) >= 2:
                    out.write(json.dumps({"source": source, "texts": texts}, ensure_ascii=False) + "\n")
                    written[source] = written.get(source, 0) + 1
    print(f"extra pair groups: {written}; protected texts dropped: {dropped}")


if __name__ == "__main__":
    main()
