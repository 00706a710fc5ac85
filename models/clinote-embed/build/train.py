"""Step 4 of the clinote-embed build: token table from skip-gram, then contrastive fine-tuning on synonym pairs.

The model is one vector per token; a text's embedding is the mean of its token vectors, L2-normalised.
  1. Initialise every token from the fastText skip-gram vectors (unit length), scaled by a frequency weight
     a / (a + p(token)) (smooth inverse frequency) so that "the", "of", "patient" barely move a mean, and with the
     corpus's common direction projected out. The weight is the vector's length, so plain mean pooling in the
     pipeline is frequency-weighted pooling.
  2. Fine-tune the table with a symmetric InfoNCE loss on (concept name, synonym) pairs with in-batch
     negatives (pairs of the same concept are not used as negatives). Tokens in no pair keep their corpus
     vectors (sparse updates); an L2 pull towards the initial vectors was tried and lowered dev recall.
  3. In the same steps, a multiple-instance loss on CodiEsp TRAIN documents: an ICD-10-CM title should be
     nearer to the best-matching sentence of a document coded with it than to any sentence of the other
     documents in the batch (how the service searches notes: by passage).
Dev concepts (never trained on) are scored before and after; the held-out concepts are not read at all.
Writes table.npy (float32, vocab x dim) to the work folder.
"""

import argparse
import json
import os
import warnings
from collections import Counter

import numpy as np
import torch
import torch.nn.functional as F

SEED = 13
SIF_A = 1e-3
TEMPERATURE = 0.05
BATCH = 256
EPOCHS = 6
LR = 0.01
DOC_BATCH = 32
COHORT_WEIGHT = 1.0


def load_vocab(model_dir):
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        vocab = json.load(f)["model"]["vocab"]
    tokens = [None] * len(vocab)
    for token, index in vocab.items():
        tokens[index] = token
    return tokens


def fasttext_vectors(vec_file, tokens):
    index = {t: i for i, t in enumerate(tokens)}
    with open(vec_file, encoding="utf-8") as f:
        _, dim = map(int, f.readline().split())
        table = np.zeros((len(tokens), dim), dtype=np.float32)
        for line in f:
            parts = line.rstrip().split(" ")
            i = index.get(parts[0])
            if i is not None and len(parts) == dim + 1:
                table[i] = np.asarray(parts[1:], dtype=np.float32)
    return table


def token_counts(tokens_file, tokens):
    index = {t: i for i, t in enumerate(tokens)}
    counts = Counter()
    with open(tokens_file, encoding="utf-8") as f:
        for line in f:
            counts.update(line.split())
    result = np.zeros(len(tokens), dtype=np.float64)
    for token, count in counts.items():
        i = index.get(token)
        if i is not None:
            result[i] = count
    return result


def initial_table(vectors, counts, tokens):
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    p = counts / counts.sum()
    table = unit * (SIF_A / (SIF_A + p))[:, None].astype(np.float32)
    # The common direction every mean drifts towards carries no meaning; remove it (frequency-weighted estimate).
    weighted = table * np.sqrt(counts)[:, None].astype(np.float32)
    _, _, vt = np.linalg.svd(weighted[counts > 0], full_matrices=False)
    u = vt[0]
    table -= np.outer(table @ u, u).astype(np.float32)
    for i, token in enumerate(tokens):
        if token.startswith("[") and token.endswith("]"):  # [CLS] [SEP] [PAD] [UNK] [MASK] [unusedN]
            table[i] = 0.0
    return table


def load_concepts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def mean_embed(table, id_lists):
    out = np.zeros((len(id_lists), table.shape[1]), dtype=np.float32)
    for row, ids in enumerate(id_lists):
        if ids:
            out[row] = table[ids].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


def synonym_scores(table, concepts, split):
    """Each term of a `split` concept ranks every concept name; the right name's rank gives recall@1/10 and MRR."""
    names = mean_embed(table, [c["name_ids"] for c in concepts])
    queries, targets = [], []
    for ci, concept in enumerate(concepts):
        if concept["split"] == split:
            for ids in concept["terms_ids"]:
                queries.append(ids)
                targets.append(ci)
    sims = mean_embed(table, queries) @ names.T
    target_sims = sims[np.arange(len(targets)), targets]
    ranks = (sims > target_sims[:, None]).sum(axis=1) + 1
    return {"queries": len(targets), "recall_at_1": float((ranks <= 1).mean()),
            "recall_at_10": float((ranks <= 10).mean()), "mrr": float((1.0 / ranks).mean())}


def training_pairs(concepts):
    pairs = []
    for ci, concept in enumerate(concepts):
        if concept["split"] == "train" and concept["name_ids"]:
            pairs.extend((concept["name_ids"], ids, ci) for ids in concept["terms_ids"] if ids)
    return pairs


def bag_inputs(id_lists):
    flat = torch.tensor([i for ids in id_lists for i in ids], dtype=torch.long)
    offsets = torch.tensor(np.cumsum([0] + [len(ids) for ids in id_lists[:-1]]), dtype=torch.long)
    return flat, offsets


def embed_bags(weight, id_lists):
    flat, offsets = bag_inputs(id_lists)
    return F.normalize(F.embedding_bag(flat, weight, offsets, mode="mean", sparse=True), dim=1)


def load_documents(path):
    documents = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            sentences = [ids for ids in record["sentences_ids"] if ids]
            titles = [ids for ids in record["titles_ids"] if ids]
            if sentences and titles:
                documents.append((sentences, titles, record["titles"]))
    return documents


# scatter_reduce("amax") is stable for this use; torch 1.13 flags the whole API as beta.
warnings.filterwarnings("ignore", message="scatter_reduce")


def cohort_loss(weight, documents):
    """Multi-positive InfoNCE: title i vs document j scored by the title's best sentence in j."""
    sentences = [ids for doc in documents for ids in doc[0]]
    owner = torch.tensor([j for j, doc in enumerate(documents) for _ in doc[0]])
    titles = {}
    for j, doc in enumerate(documents):
        for ids, text in zip(doc[1], doc[2]):
            titles.setdefault(text, (ids, set()))[1].add(j)
    title_vectors = embed_bags(weight, [ids for ids, _ in titles.values()])
    sentence_vectors = embed_bags(weight, sentences)
    sims = title_vectors @ sentence_vectors.T
    best = torch.full((len(titles), len(documents)), -2.0).scatter_reduce(1, owner.expand(len(titles), -1), sims, "amax")
    logits = best / TEMPERATURE
    positive = torch.zeros_like(logits, dtype=torch.bool)
    for i, (_, docs) in enumerate(titles.values()):
        positive[i, list(docs)] = True
    return (torch.logsumexp(logits, 1) - torch.logsumexp(logits.masked_fill(~positive, float("-inf")), 1)).mean()


def fine_tune(table, pairs, documents):
    torch.manual_seed(SEED)
    weight = torch.nn.Parameter(torch.from_numpy(table.copy()))
    optimizer = torch.optim.SparseAdam([weight], lr=LR)
    generator = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        order = torch.randperm(len(pairs), generator=generator).tolist()
        doc_order = torch.randperm(len(documents), generator=generator).tolist()
        total = 0.0
        for step, start in enumerate(range(0, len(order), BATCH)):
            batch = [pairs[i] for i in order[start:start + BATCH]]
            a = embed_bags(weight, [p[0] for p in batch])
            b = embed_bags(weight, [p[1] for p in batch])
            concept = torch.tensor([p[2] for p in batch])
            same = (concept[:, None] == concept[None, :]) & ~torch.eye(len(batch), dtype=torch.bool)
            logits = (a @ b.T / TEMPERATURE).masked_fill(same, float("-inf"))
            target = torch.arange(len(batch))
            loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
            if COHORT_WEIGHT > 0:
                first = (step * DOC_BATCH) % len(documents)
                batch_docs = [documents[doc_order[(first + k) % len(documents)]] for k in range(DOC_BATCH)]
                loss = loss + COHORT_WEIGHT * cohort_loss(weight, batch_docs)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        print(f"  epoch {epoch + 1}/{EPOCHS}: loss {total / len(pairs):.4f}")
    return weight.detach().numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    np.random.seed(SEED)

    tokens = load_vocab(args.model)
    vectors = fasttext_vectors(os.path.join(args.work, "skipgram.vec"), tokens)
    counts = token_counts(os.path.join(args.work, "corpus.tokens.txt"), tokens)
    table = initial_table(vectors, counts, tokens)
    concepts = load_concepts(os.path.join(args.work, "concepts.ids.jsonl"))
    pairs = training_pairs(concepts)
    print(f"skip-gram table: {table.shape[0]} tokens x {table.shape[1]} dims, {int((counts > 0).sum())} seen in the corpus")
    before = synonym_scores(table, concepts, "dev")
    print(f"dev synonyms before fine-tuning: {json.dumps(before)}")
    print(f"fine-tuning on {len(pairs)} synonym pairs")
    documents = load_documents(os.path.join(args.work, "codiesp_train.ids.jsonl"))
    print(f"and {len(documents)} coded CodiEsp train documents")
    table = fine_tune(table, pairs, documents)
    after = synonym_scores(table, concepts, "dev")
    print(f"dev synonyms after fine-tuning: {json.dumps(after)}")
    np.save(os.path.join(args.work, "table.npy"), table.astype(np.float32))
    with open(os.path.join(args.work, "train-report.json"), "w", encoding="utf-8") as f:
        json.dump({"dev_before": before, "dev_after": after, "pairs": len(pairs)}, f, indent=2)


if __name__ == "__main__":
    main()
