#!/bin/sh
# Rebuilds the mention finder's artifacts (ner.onnx, ner.json, memory.json and the ablation model without gazetteer
# features) from the shared data. Needs Debian's fasttext, python3-torch and python3-onnx; about two hours on a
# busy 2-core machine. fastText runs with 2 threads (its lock-free updates are not bit-reproducible); the torch
# training is seeded.
set -eu
cd "$(dirname "$0")"
SHARED=$(cd "${CLINOTE_SHARED_DATA:-../../../shared/data}" && pwd)
WORK=${NER_WORK:-$(mktemp -d)}
PYTHON=/usr/bin/python3   # Debian's python, which has python3-torch and python3-onnx
echo "work folder: $WORK"

nice -n 10 $PYTHON prepare_corpus.py "$SHARED/corpus" "$WORK/corpus.txt"
nice -n 10 fasttext skipgram -input "$WORK/corpus.txt" -output "$WORK/emb50" -dim 50 -epoch 5 -minCount 3 -maxn 0 \
  -thread 2 -seed 1 -ws 5 -neg 5
(cd ../.. && CLINOTE_SHARED_DATA="$SHARED" nice -n 10 npx tsx models/ner/featurize.ts "$WORK/train.jsonl")
nice -n 10 $PYTHON train.py "$WORK/train.jsonl" "$WORK/emb50.vec" .
(cd ../.. && CLINOTE_SHARED_DATA="$SHARED" nice -n 10 npx tsx models/ner/build-memory.ts models/ner)
nice -n 10 $PYTHON train.py "$WORK/train.jsonl" "$WORK/emb50.vec" ablation-no-gazetteer --no-gazetteer
