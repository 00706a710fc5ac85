"""Step 2 of the clinote-embed build: the tokenizer.

Starts from the MiniLM (bert-base-uncased) WordPiece tokenizer and appends frequent medical words from the
training corpus as whole-word tokens. A static model has one vector per token, so a word like "infarction"
split into "in ##far ##ction" can only be the average of unrelated pieces; as a token of its own it gets its
own vector. WordPiece matches the longest vocabulary entry first, so added words win over their pieces and
every other text tokenises exactly as before. Writes tokenizer.json and tokenizer_config.json to the model folder.
"""

import argparse
import json
import os
import re

MIN_COUNT = 5
MAX_ADDED = 24000
# Static embeddings have no positional limit; the cap only bounds the cost of one very long input.
MODEL_MAX_LENGTH = 2048
WORD = re.compile(r"^[a-z][a-z0-9]{3,}$")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="folder with the base tokenizer.json / tokenizer_config.json")
    parser.add_argument("--work", required=True)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    with open(os.path.join(args.base, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer = json.load(f)
    vocab = tokenizer["model"]["vocab"]
    added = []
    with open(os.path.join(args.work, "words.tsv"), encoding="utf-8") as f:
        for line in f:
            word, count = line.rstrip("\n").split("\t")
            if int(count) < MIN_COUNT or len(added) >= MAX_ADDED:
                break
            if WORD.match(word) and word not in vocab:
                added.append(word)
    for word in added:
        vocab[word] = len(vocab)
    # The pipeline pads to the longest text in a batch itself; fixed 128-token padding/truncation would cut documents.
    tokenizer["truncation"] = None
    tokenizer["padding"] = None

    with open(os.path.join(args.base, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    config["model_max_length"] = MODEL_MAX_LENGTH

    os.makedirs(args.model, exist_ok=True)
    with open(os.path.join(args.model, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(args.model, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"vocabulary: {len(vocab)} tokens ({len(added)} medical words added to the base WordPiece vocabulary)")


if __name__ == "__main__":
    main()
