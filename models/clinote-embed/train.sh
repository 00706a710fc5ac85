#!/usr/bin/env bash
# Rebuilds the clinote-embed model from the shared data and prints its evaluation figures.
#
#   models/clinote-embed/train.sh            (from anywhere; about 10-15 minutes on one core)
#
# Needs Debian's python3 with torch, onnx and numpy (/usr/bin/python3), the fastText CLI (/usr/bin/fasttext),
# node with the repository's node_modules, and the shared data (CLINOTE_SHARED_DATA, default ../shared/data).
# Everything runs single-threaded with fixed seeds; intermediate files go to models/clinote-embed/work/ (ignored).
set -euo pipefail

MODEL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$MODEL_DIR/../.." && pwd)"
DATA="${CLINOTE_SHARED_DATA:-$ROOT/../shared/data}"
WORK="$MODEL_DIR/work"
PY=/usr/bin/python3
FASTTEXT="${FASTTEXT:-/usr/bin/fasttext}"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0

mkdir -p "$WORK"
cd "$ROOT"
step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step "1/6 corpus and synonym concepts (held-out split: $MODEL_DIR/heldout-concepts.txt)"
"$PY" "$MODEL_DIR/build/prepare.py" --data "$DATA" --work "$WORK" \
  --split-file "$MODEL_DIR/heldout-concepts.txt" --synonym-eval "$ROOT/eval/embed/synonym-heldout.json.gz"

step "2/6 tokenizer: MiniLM WordPiece + frequent medical words"
node --import tsx "$MODEL_DIR/build/tokenize.ts" count-words "$DATA/tokenizers/minilm-wordpiece" "$WORK"
"$PY" "$MODEL_DIR/build/vocab.py" --base "$DATA/tokenizers/minilm-wordpiece" --work "$WORK" --model "$MODEL_DIR"
node --import tsx "$MODEL_DIR/build/tokenize.ts" encode "$MODEL_DIR" "$WORK"

step "3/6 skip-gram token vectors (fastText, 1 thread)"
"$FASTTEXT" skipgram -input "$WORK/corpus.tokens.txt" -output "$WORK/skipgram" \
  -dim 128 -ws 5 -epoch 4 -minCount 1 -minn 0 -maxn 0 -neg 5 -thread 1 -seed 13 -verbose 1

step "4/6 contrastive fine-tuning on synonym pairs with mined hard negatives (torch, 1 thread)"
"$PY" "$MODEL_DIR/build/train.py" --model "$MODEL_DIR" --work "$WORK"

step "5/6 ONNX export (int8 token table)"
"$PY" "$MODEL_DIR/build/export_onnx.py" --model "$MODEL_DIR" --work "$WORK"

step "6/6 evaluation through the service loader"
node scripts/clinote.mjs eval embed
