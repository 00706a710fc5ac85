"""Step 1 of the clinote-embed build: gather the training corpus and the synonym concepts, and fix the split.

Reads only train splits (and unsplit reference material) from the shared data folder and writes into the
work folder:
  corpus.txt        one document per line, for skip-gram
  concepts.jsonl    {"name", "sources", "terms", "split"} per synonym concept (split: train | dev | heldout)
  codiesp_train.jsonl  {"doc", "sentences", "titles"} per CodiEsp TRAIN document: its English sentences and the
                    ICD-10-CM titles of its gold diagnosis codes (weak supervision: title <-> the sentence naming it)
The held-out concept list (10%, split by concept) lives beside train.sh and is only created when missing, so
the split never moves; a dev split (5% of the rest) is carved out the same way for tuning.
It also writes the committed synonym evaluation file (held-out queries and the candidate concept names).
"""

import argparse
import csv
import gzip
import json
import os
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import OrderedDict

SPLIT_SEED = 20240605
HELDOUT_FRACTION = 0.10
DEV_FRACTION = 0.05

csv.field_size_limit(sys.maxsize)


def norm(text):
    return " ".join(text.lower().split())


def clean_term(text):
    """ICD-10-CM notes carry nonessential modifiers in parentheses and 'NOS'; the bare phrase is the synonym."""
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\bNOS\b", " ", text)
    text = " ".join(text.split()).strip(" ,;:-")
    return text


class Concepts:
    """Synonym concepts keyed by normalised canonical name; sources merge when they name the same concept."""

    def __init__(self):
        self.by_name = OrderedDict()

    def add(self, name, term, source):
        name, term = " ".join(name.split()), " ".join(term.split())
        if len(name) < 2 or len(term) < 2 or norm(name) == norm(term):
            return
        key = norm(name)
        entry = self.by_name.setdefault(key, {"name": name, "sources": [], "terms": OrderedDict()})
        if source not in entry["sources"]:
            entry["sources"].append(source)
        entry["terms"].setdefault(norm(term), term)


def icd_tabular(data):
    return ET.parse(os.path.join(data, "icd10cm/icd10cm-fy2021-jan/icd10cm_tabular_2021.xml")).getroot()


def notes(diag, tag):
    return [n.text for el in diag.findall(tag) for n in el.findall("note") if n.text]


def add_icd(concepts, root):
    for diag in root.iter("diag"):
        title = diag.findtext("desc")
        for note in notes(diag, "inclusionTerm"):
            concepts.add(title, clean_term(note), "icd10cm_inclusion")


def add_medquad(concepts, data):
    with open(os.path.join(data, "corpus/medquad/medquad_focus_synonyms.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            concepts.add(row["focus"], row["synonym"], "medquad_focus")


def add_wordnet(concepts, data):
    with open(os.path.join(data, "corpus/wordnet_medical/wordnet_medical_synsets.jsonl"), encoding="utf-8") as f:
        for line in f:
            lemmas = json.loads(line)["lemmas"]
            for lemma in lemmas[1:]:
                concepts.add(lemmas[0], lemma, "wordnet_medical")


def add_abbreviations(concepts, data):
    base = os.path.join(data, "lexicons/abbreviations-metainventory-sources")
    for name in ("vanderbilt_clinic_notes.txt", "vanderbilt_discharge_sums.txt"):
        with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                try:
                    frequency = float(row["frequency"])
                except (TypeError, ValueError):
                    continue
                # Rare senses in the inventories are mostly noise (misparses, one-off notes).
                if frequency >= 0.05 and row["sense"] and not row["sense"][0].isdigit():
                    concepts.add(row["sense"], row["abbreviation"], "abbreviation")
    with open(os.path.join(base, "sense_distribution_448.txt"), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and float(parts[2] or 0) >= 0.05:
                concepts.add(parts[1], parts[0], "abbreviation")
    with open(os.path.join(base, "obgyn.txt"), encoding="utf-8", errors="replace") as f:
        for line in f:
            abbr, _, expansion = line.strip().partition(" ")
            concepts.add(expansion, abbr, "abbreviation")


def add_drugs(concepts, data):
    brands = {}
    path = os.path.join(data, "lexicons/rxnorm-prescribable-2025-10/rxnorm_ingredient_brands.tsv")
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["ingredient_tty"] == "IN":
                brands.setdefault(row["brand_name"], set()).add(row["ingredient_name"])
    # A brand of a combination product names no single generic, so only single-ingredient brands pair up.
    for brand, ingredients in sorted(brands.items()):
        if len(ingredients) == 1:
            concepts.add(next(iter(ingredients)), brand, "drug_brand_rxnorm")
    path = os.path.join(data, "lexicons/drug-brand-synonyms-fastdatascience/drugs_dictionary_medlineplus.csv")
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for synonym in (row["Synonyms"] or "").split("|"):
                concepts.add(row["Common name"], synonym.strip(), "drug_brand_medlineplus")


def assign_splits(concepts, split_file):
    names = sorted(concepts.by_name)
    if os.path.exists(split_file):
        with open(split_file, encoding="utf-8") as f:
            heldout = {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}
    else:
        heldout = set(random.Random(SPLIT_SEED).sample(names, round(HELDOUT_FRACTION * len(names))))
        with open(split_file, "w", encoding="utf-8") as f:
            f.write("# clinote-embed held-out synonym concepts (normalised canonical names), fixed once; never trained on\n")
            f.writelines(name + "\n" for name in sorted(heldout))
    rest = [n for n in names if n not in heldout]
    dev = set(random.Random(SPLIT_SEED + 1).sample(rest, round(DEV_FRACTION * len(rest))))
    for key, entry in concepts.by_name.items():
        entry["split"] = "heldout" if key in heldout else "dev" if key in dev else "train"
    missing = heldout - set(names)
    if missing:
        print(f"warning: {len(missing)} held-out concepts no longer exist in the sources", file=sys.stderr)


def protected_texts(concepts):
    """Every text of a held-out or dev concept: no training pair and no ICD corpus line may contain one."""
    texts = set()
    for key, entry in concepts.by_name.items():
        if entry["split"] != "train":
            texts.add(key)
            texts.update(entry["terms"])
    return texts


def write_concepts(concepts, path):
    protected = protected_texts(concepts)
    kept_pairs = 0
    with open(path, "w", encoding="utf-8") as f:
        for key, entry in concepts.by_name.items():
            terms = list(entry["terms"].items())
            if entry["split"] == "train":
                # Drop pairs that would teach a held-out or dev text (an ambiguous abbreviation, a shared synonym).
                terms = [(k, t) for k, t in terms if k not in protected]
                if key in protected or not terms:
                    continue
                kept_pairs += len(terms)
            f.write(json.dumps({"name": entry["name"], "sources": entry["sources"], "split": entry["split"],
                                "terms": [t for _, t in terms]}, ensure_ascii=False) + "\n")
    return kept_pairs


def write_synonym_eval(concepts, path):
    """Queries = every term of a held-out concept; relevant = each concept naming that term; candidates = all names."""
    names_by_term = {}
    for entry in concepts.by_name.values():
        for key in entry["terms"]:
            names_by_term.setdefault(key, []).append(entry["name"])
    queries = []
    for entry in concepts.by_name.values():
        if entry["split"] != "heldout":
            continue
        for key, term in entry["terms"].items():
            queries.append({"term": term, "source": entry["sources"][0], "relevant": sorted(set(names_by_term[key]))})
    document = {
        "description": "clinote-embed held-out synonym retrieval: rank all concept names for each held-out term",
        "candidates": [entry["name"] for entry in concepts.by_name.values()],
        "queries": queries,
    }
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return len(queries), len(document["candidates"])


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def icd_corpus_lines(root, protected):
    """One line per ICD-10-CM category: its titles and notes (held-out inclusion terms left out)."""
    lines = []
    for chapter in root.findall("chapter"):
        for section in chapter.findall("section"):
            for category in section.findall("diag"):
                parts = []
                for diag in category.iter("diag"):
                    parts.append(diag.findtext("desc") or "")
                    for tag in ("inclusionTerm", "includes", "excludes1", "excludes2"):
                        parts.extend(n for n in notes(diag, tag) if norm(clean_term(n)) not in protected)
                lines.append(". ".join(p for p in parts if p))
    return lines


def corpus_lines(data, icd_lines):
    lines = []
    lines += read_lines(os.path.join(data, "corpus/medquad/medquad_answers.txt"))
    lines += read_lines(os.path.join(data, "corpus/codiesp_en/codiesp_background_en.txt"))
    lines += read_lines(os.path.join(data, "corpus/bc5cdr/bc5cdr_text_train.txt"))
    lines += read_lines(os.path.join(data, "corpus/ncbi_disease/ncbi_disease_text_train.txt"))
    with open(os.path.join(data, "corpus/pubmedqa/pubmedqa_pqal.jsonl"), encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            if not item.get("in_official_test"):
                lines.append(" ".join(item["contexts"] + [item.get("long_answer") or ""]))
    train_dir = os.path.join(data, "eval/codiesp/train/text_files_en")
    for name in sorted(os.listdir(train_dir)):
        with open(os.path.join(train_dir, name), encoding="utf-8") as f:
            lines.append(f.read())
    with open(os.path.join(data, "eval/mts-dialog/MTS-Dialog-TrainingSet.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lines += [row["section_text"], row["dialogue"]]
    with open(os.path.join(data, "eval/aci-bench/train.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lines += [row["note"], row["dialogue"]]
    lines += icd_lines
    return [" ".join(line.split()) for line in lines if line.strip()]


def icd_titles(data):
    """Long titles by dotted upper-case code from the official fixed-width order file."""
    titles = {}
    with open(os.path.join(data, "icd10cm/icd10cm-fy2021-jan/icd10cm-order-Jan-2021.txt"), encoding="utf-8") as f:
        for line in f:
            code = line[6:13].strip()
            if code:
                titles[code[:3] + ("." + code[3:] if len(code) > 3 else "")] = line[77:].strip()
    return titles


def write_codiesp_train(data, path):
    titles = icd_titles(data)
    codes = {}
    with open(os.path.join(data, "eval/codiesp/train/trainD.tsv"), encoding="utf-8") as f:
        for line in f:
            doc, _, code = line.strip().partition("\t")
            if code.upper() in titles:
                codes.setdefault(doc, set()).add(code.upper())
    text_dir = os.path.join(data, "eval/codiesp/train/text_files_en")
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for doc in sorted(codes):
            with open(os.path.join(text_dir, doc + ".txt"), encoding="utf-8") as f:
                sentences = [s.strip() for s in f.read().split("\n") if s.strip()]
            if sentences:
                out.write(json.dumps({"doc": doc, "sentences": sentences,
                                      "titles": [titles[c] for c in sorted(codes[doc])]}, ensure_ascii=False) + "\n")
                written += 1
    return written


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--split-file", required=True)
    parser.add_argument("--synonym-eval", required=True)
    args = parser.parse_args()

    root = icd_tabular(args.data)
    concepts = Concepts()
    add_icd(concepts, root)
    add_medquad(concepts, args.data)
    add_wordnet(concepts, args.data)
    add_abbreviations(concepts, args.data)
    add_drugs(concepts, args.data)
    assign_splits(concepts, args.split_file)

    os.makedirs(args.work, exist_ok=True)
    pairs = write_concepts(concepts, os.path.join(args.work, "concepts.jsonl"))
    n_queries, n_candidates = write_synonym_eval(concepts, args.synonym_eval)
    lines = corpus_lines(args.data, icd_corpus_lines(root, protected_texts(concepts)))
    with open(os.path.join(args.work, "corpus.txt"), "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)
    coded_documents = write_codiesp_train(args.data, os.path.join(args.work, "codiesp_train.jsonl"))

    splits = {}
    for entry in concepts.by_name.values():
        splits[entry["split"]] = splits.get(entry["split"], 0) + 1
    print(f"concepts: {len(concepts.by_name)} {splits}; training pairs: {pairs}; "
          f"held-out queries: {n_queries} over {n_candidates} candidates; corpus documents: {len(lines)}; "
          f"coded CodiEsp train documents: {coded_documents}")


if __name__ == "__main__":
    main()
