"""How much the training corpus says about the held-out synonyms (an analysis, not run by train.sh).

For each held-out term of the synonym evaluation: does it occur anywhere in the corpus the model learns from, and
does it ever share a document with a name of its concept? Texts are compared lower-cased, with punctuation as
spaces, on word boundaries. A static (or any) model trained here can only learn a held-out pair from such evidence
or from the words the two texts share.

  python3 build/coverage.py --work work --heldout ../../eval/embed/synonym-heldout.json.gz
"""

import argparse
import collections
import gzip
import json
import re


def norm(text):
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split()) + " "


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True, help="the build's work folder (corpus.txt)")
    parser.add_argument("--heldout", required=True, help="eval/embed/synonym-heldout.json.gz")
    args = parser.parse_args()
    with gzip.open(args.heldout, "rt", encoding="utf-8") as f:
        queries = json.load(f)["queries"]
    with open(f"{args.work}/corpus.txt", encoding="utf-8") as f:
        documents = [norm(line) for line in f]
    by_word = collections.defaultdict(set)
    for i, document in enumerate(documents):
        for word in set(document.split()):
            by_word[word].add(i)

    def documents_with(text):
        words = text.split()
        if not words:
            return set()
        candidates = min((by_word.get(w, set()) for w in words), key=len)
        return {i for i in candidates if text in documents[i]}

    counts = collections.defaultdict(lambda: [0, 0, 0])
    for query in queries:
        term_documents = documents_with(norm(query["term"]))
        row = counts[query["source"]]
        row[0] += 1
        row[1] += bool(term_documents)
        row[2] += any(term_documents & documents_with(norm(name)) for name in query["relevant"])
    counts["all"] = [sum(row[i] for row in list(counts.values())) for i in range(3)]
    for source, (n, seen, together) in sorted(counts.items()):
        print(f"{source:24s} terms {n:5d}  in the corpus {seen / n:.3f}  in one document with their concept's name {together / n:.3f}")


if __name__ == "__main__":
    main()
