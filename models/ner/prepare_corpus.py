"""Writes the tokenized, lowercased, digit-normalised embedding corpus (one document per line) for fastText,
tokenized as src/notes/structuring/ner/tokens.ts does (letter runs, digit runs, single symbols; wordKey: lowercase,
digits 0). Only unlabelled text and training splits: NCBI-disease and BC5CDR dev/test text is left out."""
import re
import sys

TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]|_")

root = sys.argv[1]
files = [
    "codiesp_en/codiesp_background_en.txt",
    "medquad/medquad_answers.txt",
    "medec_ms/medec_ms_text_corrected.txt",
    "pubmedqa/pubmedqa_pqal_text.txt",
    "ncbi_disease/ncbi_disease_text_train.txt",
    "bc5cdr/bc5cdr_text_train.txt",
]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for f in files:
        for line in open(f"{root}/{f}", encoding="utf-8"):
            out.write(" ".join(re.sub(r"\d", "0", m.group(0).lower()) for m in TOKEN.finditer(line)) + "\n")
