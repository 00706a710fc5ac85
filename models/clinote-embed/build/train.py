"""Step 4 of the clinote-embed build: token table from skip-gram, then contrastive fine-tuning on synonym pairs.

The model is one vector per token; a text's embedding is the mean of its token vectors, L2-normalised.
  1. Initialise every token from the fastText skip-gram vectors (unit length), scaled by a frequency weight
     a / (a + p(token)) (smooth inverse frequency) so that "the", "of", "patient" barely move a mean, and with the
     corpus's common direction projected out. The weight is the vector's length, so plain mean pooling in the
     pipeline is frequency-weighted pooling.
  2. Fine-tune the table with a symmetric InfoNCE loss on (concept name, synonym) pairs with in-batch
     negatives (pairs of the same concept are not used as negatives), plus the extra pair groups of pairs.py.
     In the term -> name direction each synonym pair also sees its mined hard negatives: the training concept
     names nearest to its term under the current table (mined again at the start of every epoch).
     Tokens in no pair keep their corpus vectors (sparse updates); an L2 pull towards the initial vectors was
     tried and lowered dev recall.
  3. In the same steps, a multiple-instance loss on CodiEsp TRAIN documents: an ICD-10-CM title should be
     nearer to the best-matching sentence of a document coded with it than to any sentence of the other
     documents in the batch (how the service searches notes: by passage).
Dev concepts (never trained on, never used as negatives) are scored before and after; the held-out concepts'
texts are not used for anything. Writes table.npy (float32, vocab x dim) to the work folder.
Tuning runs: TRAIN_CONFIG='{"epochs": 4}' overrides settings, TRAIN_DEV_EACH_EPOCH=1 scores dev after every
epoch, TRAIN_SAVE_EACH_EPOCH=<prefix> saves the table after every epoch.
Experiment (off by default): --encoder-layers N (N > 0) puts a tiny transformer encoder on top of the table (see
TinyEncoder; TRAIN_CONFIG='{"encoder": {...}}' overrides ENCODER). The encoder is not exported by export_onnx.py;
its weights go to <out>-encoder.pt next to the table.
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
# Training settings; TRAIN_CONFIG (a JSON object in the environment) overrides any of them for a tuning run.
CONFIG = {
    "temperature": 0.05,
    "batch": 512,
    "epochs": 2,
    "lr": 0.01,
    "doc_batch": 32,
    "cohort_weight": 1.0,
    # extra pair groups from pairs.py: source -> largest number of groups used (0 = none, -1 = all)
    "extra": {},
    # hashed character n-grams of every token, folded into its vector (0 buckets = off)
    "ngram_buckets": 0,
    "ngram_min": 3,
    "ngram_max": 5,
    # per training pair, the nearest wrong concept names (mined once per epoch) as extra negatives (0 = off)
    "hard_negatives": 10,
    "hard_from_epoch": 1,
    # each token of a training text is left out with this probability (at least one token stays)
    "token_dropout": 0.0,
}
CONFIG.update(json.loads(os.environ.get("TRAIN_CONFIG", "{}")))
# Tiny transformer encoder on top of the token table (experiment; 0 layers = the static model, today's code path).
ENCODER = {"layers": 0, "heads": 4, "ffn": 256, "positions": 64, "lr": 1e-3}
ENCODER.update(CONFIG.pop("encoder", {}))


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


def synonym_scores(table, concepts, split, embed=None):
    """Each term of a `split` concept ranks every concept name; the right name's rank gives recall@1/10 and MRR.

    embed(id_lists) -> unit vectors (numpy); default: mean of the table's rows."""
    if embed is None:
        embed = lambda id_lists: mean_embed(table, id_lists)
    names = embed([c["name_ids"] for c in concepts])
    queries, targets = [], []
    for ci, concept in enumerate(concepts):
        if concept["split"] == split:
            for ids in concept["terms_ids"]:
                queries.append(ids)
                targets.append(ci)
    sims = embed(queries) @ names.T
    target_sims = sims[np.arange(len(targets)), targets]
    ranks = (sims > target_sims[:, None]).sum(axis=1) + 1
    by_source = {}
    for rank, ci in zip(ranks, targets):
        entry = by_source.setdefault(concepts[ci]["sources"][0], [0, 0])
        entry[0] += 1
        entry[1] += int(rank <= 10)
    return {"queries": len(targets), "recall_at_1": float((ranks <= 1).mean()),
            "recall_at_10": float((ranks <= 10).mean()), "mrr": float((1.0 / ranks).mean()),
            "recall_at_10_by_source": {k: round(v[1] / v[0], 4) for k, v in sorted(by_source.items())}}


def training_pairs(concepts):
    """(name ids, term ids, group, concept index or -1): synonym concepts first, then the extra pair groups."""
    pairs = []
    for ci, concept in enumerate(concepts):
        if concept["split"] == "train" and concept["name_ids"]:
            pairs.extend((concept["name_ids"], ids, ci, ci) for ids in concept["terms_ids"] if ids)
    return pairs


def extra_pairs(path, limits, first_group):
    """Pairs (first text <-> each other text) of the extra groups, up to limits[source] groups per source."""
    if not limits or not os.path.exists(path):
        return []
    groups = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if limits.get(record["source"], 0) != 0:
                groups.setdefault(record["source"], []).append([ids for ids in record["texts_ids"] if ids])
    pairs, group = [], first_group
    rng = np.random.default_rng(SEED)
    for source in sorted(groups):
        chosen = groups[source]
        limit = limits[source]
        if 0 < limit < len(chosen):
            chosen = [chosen[i] for i in sorted(rng.choice(len(chosen), limit, replace=False))]
        for texts in chosen:
            pairs.extend((texts[0], ids, group, -1) for ids in texts[1:])
            group += 1
    return pairs


def bag_inputs(id_lists):
    flat = torch.tensor([i for ids in id_lists for i in ids], dtype=torch.long)
    offsets = torch.tensor(np.cumsum([0] + [len(ids) for ids in id_lists[:-1]]), dtype=torch.long)
    return flat, offsets


def token_ngrams(tokens, buckets, nmin, nmax):
    """CSR lists of hashed character n-gram buckets per token ("<word>" for words, "piece>" for ## pieces)."""
    import zlib
    pointer, indices = [0], []
    for token in tokens:
        grams = []
        if token and not (token.startswith("[") and token.endswith("]")):
            text = token[2:] + ">" if token.startswith("##") else "<" + token + ">"
            for n in range(nmin, nmax + 1):
                grams.extend(text[i:i + n] for i in range(len(text) - n + 1))
        indices.extend(sorted({zlib.crc32(g.encode("utf-8")) % buckets for g in grams}))
        pointer.append(len(indices))
    return torch.tensor(pointer, dtype=torch.long), torch.tensor(indices, dtype=torch.long)


class StaticModel:
    """Token table W, optionally plus hashed n-gram vectors: vector(t) = W[t] + s[t] * mean(B[n-grams of t]).

    s[t] is the token's smooth-inverse-frequency weight, so n-grams barely move frequent tokens. B starts at
    zero, so training starts exactly from the skip-gram table; the n-gram part folds into the exported table."""

    def __init__(self, table, tokens, sif):
        self.weight = torch.nn.Parameter(torch.from_numpy(table.copy()))
        self.params = [self.weight]
        self.buckets = None
        if CONFIG["ngram_buckets"] > 0:
            self.pointer, self.indices = token_ngrams(tokens, CONFIG["ngram_buckets"], CONFIG["ngram_min"],
                                                      CONFIG["ngram_max"])
            self.lengths = self.pointer[1:] - self.pointer[:-1]
            self.buckets = torch.nn.Parameter(torch.zeros(CONFIG["ngram_buckets"], table.shape[1]))
            self.sif = torch.from_numpy(sif.astype(np.float32))
            self.params.append(self.buckets)

    def token_vectors(self, ids):
        vectors = F.embedding(ids, self.weight, sparse=True)
        if self.buckets is None:
            return vectors
        lengths = self.lengths[ids]
        ends = torch.cumsum(lengths, 0)
        starts = ends - lengths
        within = torch.arange(int(ends[-1])) - torch.repeat_interleave(starts, lengths)
        grams = self.indices[torch.repeat_interleave(self.pointer[ids], lengths) + within]
        ngram = F.embedding_bag(grams, self.buckets, starts, mode="mean", sparse=True)
        return vectors + self.sif[ids, None] * ngram

    def embed(self, id_lists):
        flat, offsets = bag_inputs(id_lists)
        if self.buckets is None:
            pooled = F.embedding_bag(flat, self.weight, offsets, mode="mean", sparse=True)
        else:
            unique, inverse = torch.unique(flat, return_inverse=True)
            pooled = F.embedding_bag(inverse, self.token_vectors(unique), offsets, mode="mean")
        return F.normalize(pooled, dim=1)

    def table(self):
        with torch.no_grad():
            if self.buckets is None:
                return self.weight.detach().numpy().copy()
            return self.token_vectors(torch.arange(self.weight.shape[0])).numpy()


class EncoderBlock(torch.nn.Module):
    """Pre-LayerNorm residual block: x + Attention(LN(x)), then x + FFN(LN(x)). The output projections of both
    start at zero, so a new block is the identity."""

    def __init__(self, dim, heads, ffn):
        super().__init__()
        self.heads = heads
        self.ln1 = torch.nn.LayerNorm(dim)
        self.qkv = torch.nn.Linear(dim, 3 * dim)
        self.out = torch.nn.Linear(dim, dim)
        self.ln2 = torch.nn.LayerNorm(dim)
        self.ff1 = torch.nn.Linear(dim, ffn)
        self.ff2 = torch.nn.Linear(ffn, dim)
        for layer in (self.out, self.ff2):
            torch.nn.init.zeros_(layer.weight)
            torch.nn.init.zeros_(layer.bias)

    def forward(self, x, mask):
        batch, length, dim = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(batch, length, 3, self.heads, dim // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) / (dim // self.heads) ** 0.5
        attention = scores.masked_fill(~mask[:, None, None, :], float("-inf")).softmax(-1)
        x = x + self.out((attention @ v).transpose(1, 2).reshape(batch, length, dim))
        return x + self.ff2(F.gelu(self.ff1(self.ln2(x))))


class TinyEncoder(torch.nn.Module):
    """Learned positions (zero at start; positions past the last share its vector) and pre-LN blocks."""

    def __init__(self, dim, layers, heads, ffn, positions):
        super().__init__()
        self.positions = torch.nn.Parameter(torch.zeros(positions, dim)) if positions > 0 else None
        self.blocks = torch.nn.ModuleList(EncoderBlock(dim, heads, ffn) for _ in range(layers))

    def forward(self, x, mask):
        if self.positions is not None:
            x = x + self.positions[torch.arange(x.shape[1]).clamp(max=self.positions.shape[0] - 1)]
        for block in self.blocks:
            x = block(x, mask)
        return x


class EncoderModel(StaticModel):
    """Token table (sparse, SparseAdam) + TinyEncoder (dense, Adam); text vector = mean of the encoder outputs over
    the real tokens, L2-normalised. With the zero-initialised output projections and positions it starts exactly
    as the static model. Texts are encoded in chunks of similar length to keep padding small."""

    def __init__(self, table, tokens, sif):
        super().__init__(table, tokens, sif)
        assert self.buckets is None, "the encoder experiment does not combine with n-gram buckets"
        torch.manual_seed(SEED)
        self.encoder = TinyEncoder(table.shape[1], ENCODER["layers"], ENCODER["heads"], ENCODER["ffn"],
                                   ENCODER["positions"])
        self.dense_params = list(self.encoder.parameters())

    def embed(self, id_lists, chunk=256):
        order = sorted(range(len(id_lists)), key=lambda i: len(id_lists[i]))
        pieces = []
        for start in range(0, len(order), chunk):
            rows = order[start:start + chunk]
            lengths = torch.tensor([len(id_lists[i]) for i in rows])
            width = max(1, int(lengths.max()))
            ids = torch.zeros(len(rows), width, dtype=torch.long)
            for r, i in enumerate(rows):
                ids[r, :len(id_lists[i])] = torch.tensor(id_lists[i], dtype=torch.long)
            mask = torch.arange(width)[None, :] < lengths[:, None]
            mask[:, 0] |= lengths == 0  # an empty text attends to one padding row and is zeroed below
            x = F.embedding(ids, self.weight, sparse=True) * mask[:, :, None]
            x = self.encoder(x, mask)
            real = (torch.arange(width)[None, :] < lengths[:, None]).float()
            pooled = (x * real[:, :, None]).sum(1) / lengths.clamp(min=1)[:, None]
            pieces.append(pooled)
        pooled = torch.cat(pieces)[torch.argsort(torch.tensor(order))]
        return F.normalize(pooled, dim=1)

    def embed_numpy(self, id_lists, chunk=2048):
        with torch.no_grad():
            return torch.cat([self.embed(id_lists[i:i + chunk]) for i in range(0, len(id_lists), chunk)]).numpy()


def embedder(model):
    """numpy embedding function for mining and evaluation: the encoder's, or None (= mean of table rows)."""
    return model.embed_numpy if isinstance(model, EncoderModel) else None


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


def cohort_loss(model, documents):
    """Multi-positive InfoNCE: title i vs document j scored by the title's best sentence in j."""
    sentences = [ids for doc in documents for ids in doc[0]]
    owner = torch.tensor([j for j, doc in enumerate(documents) for _ in doc[0]])
    titles = {}
    for j, doc in enumerate(documents):
        for ids, text in zip(doc[1], doc[2]):
            titles.setdefault(text, (ids, set()))[1].add(j)
    title_vectors = model.embed([ids for ids, _ in titles.values()])
    sentence_vectors = model.embed(sentences)
    sims = title_vectors @ sentence_vectors.T
    best = torch.full((len(titles), len(documents)), -2.0).scatter_reduce(1, owner.expand(len(titles), -1), sims, "amax")
    logits = best / CONFIG["temperature"]
    positive = torch.zeros_like(logits, dtype=torch.bool)
    for i, (_, docs) in enumerate(titles.values()):
        positive[i, list(docs)] = True
    return (torch.logsumexp(logits, 1) - torch.logsumexp(logits.masked_fill(~positive, float("-inf")), 1)).mean()


def mine_hard_negatives(model, concepts, pairs, k):
    """For each synonym pair, the k training concept names nearest its term, its own concept left out."""
    names = [ci for ci, c in enumerate(concepts) if c["split"] == "train" and c["name_ids"]]
    table = model.table()
    embed = embedder(model) or (lambda id_lists: mean_embed(table, id_lists))
    name_vectors = torch.from_numpy(embed([concepts[ci]["name_ids"] for ci in names]))
    name_concepts = torch.tensor(names)
    hard = [[] for _ in pairs]
    rows = [i for i, p in enumerate(pairs) if p[3] >= 0]
    for start in range(0, len(rows), 2048):
        chunk = rows[start:start + 2048]
        sims = torch.from_numpy(embed([pairs[i][1] for i in chunk])) @ name_vectors.T
        own = torch.tensor([pairs[i][3] for i in chunk])
        sims[name_concepts[None, :] == own[:, None]] = -2.0
        top = sims.topk(k, dim=1).indices
        for row, i in enumerate(chunk):
            hard[i] = name_concepts[top[row]].tolist()
    return hard


def drop_tokens(id_lists, p, rng):
    if p <= 0:
        return id_lists
    out = []
    for ids in id_lists:
        kept = [i for i in ids if rng.random() >= p] if len(ids) > 1 else ids
        out.append(kept or [ids[int(rng.random() * len(ids))]])
    return out


def fine_tune(model, pairs, documents, concepts):
    torch.manual_seed(SEED)
    optimizer = torch.optim.SparseAdam(model.params, lr=CONFIG["lr"])
    dense = torch.optim.Adam(model.dense_params, lr=ENCODER["lr"]) if isinstance(model, EncoderModel) else None
    generator = torch.Generator().manual_seed(SEED)
    temperature, batch_size = CONFIG["temperature"], CONFIG["batch"]
    hard = None
    rng = np.random.default_rng(SEED)
    dropout = CONFIG["token_dropout"]
    for epoch in range(CONFIG["epochs"]):
        if CONFIG["hard_negatives"] > 0 and epoch + 1 >= CONFIG["hard_from_epoch"]:
            hard = mine_hard_negatives(model, concepts, pairs, CONFIG["hard_negatives"])
        order = torch.randperm(len(pairs), generator=generator).tolist()
        doc_order = torch.randperm(len(documents), generator=generator).tolist()
        total = 0.0
        for step, start in enumerate(range(0, len(order), batch_size)):
            batch_index = order[start:start + batch_size]
            batch = [pairs[i] for i in batch_index]
            group = torch.tensor([p[2] for p in batch])
            same = (group[:, None] == group[None, :]) & ~torch.eye(len(batch), dtype=torch.bool)
            a = model.embed(drop_tokens([p[0] for p in batch], dropout, rng))
            b = model.embed(drop_tokens([p[1] for p in batch], dropout, rng))
            logits = (a @ b.T / temperature).masked_fill(same, float("-inf"))
            target = torch.arange(len(batch))
            loss_ab = F.cross_entropy(logits, target)
            if hard is not None:
                # term -> names: the batch's names plus each pair's mined nearest wrong names
                extra = sorted({ci for i in batch_index for ci in hard[i]})
                if extra:
                    h = model.embed([concepts[ci]["name_ids"] for ci in extra])
                    hard_group = torch.tensor(extra)
                    hard_logits = (b @ h.T / temperature).masked_fill(hard_group[None, :] == group[:, None],
                                                                       float("-inf"))
                    loss_ba = F.cross_entropy(torch.cat([logits.T, hard_logits], dim=1), target)
                else:
                    loss_ba = F.cross_entropy(logits.T, target)
            else:
                loss_ba = F.cross_entropy(logits.T, target)
            loss = (loss_ab + loss_ba) / 2
            if CONFIG["cohort_weight"] > 0:
                first = (step * CONFIG["doc_batch"]) % len(documents)
                batch_docs = [documents[doc_order[(first + k) % len(documents)]] for k in range(CONFIG["doc_batch"])]
                loss = loss + CONFIG["cohort_weight"] * cohort_loss(model, batch_docs)
            optimizer.zero_grad()
            if dense is not None:
                dense.zero_grad()
            loss.backward()
            optimizer.step()
            if dense is not None:
                dense.step()
            total += loss.item() * len(batch)
        report = ""
        if os.environ.get("TRAIN_DEV_EACH_EPOCH"):
            dev = synonym_scores(model.table(), concepts, 'dev', embedder(model))
            report = f", dev recall@10 {dev['recall_at_10']:.4f}"
        print(f"  epoch {epoch + 1}/{CONFIG['epochs']}: loss {total / len(pairs):.4f}{report}", flush=True)
        if os.environ.get("TRAIN_SAVE_EACH_EPOCH"):
            np.save(os.environ["TRAIN_SAVE_EACH_EPOCH"] + f"-epoch{epoch + 1}.npy", model.table().astype(np.float32))
            if dense is not None:
                torch.save(model.encoder.state_dict(),
                           os.environ["TRAIN_SAVE_EACH_EPOCH"] + f"-epoch{epoch + 1}-encoder.pt")
    return model.table()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", default="table.npy", help="file name in the work folder")
    parser.add_argument("--encoder-layers", type=int, default=ENCODER["layers"],
                        help="experiment: tiny transformer layers on top of the table (0 = static model)")
    args = parser.parse_args()
    ENCODER["layers"] = args.encoder_layers
    torch.set_num_threads(1)
    np.random.seed(SEED)
    print(f"config: {json.dumps(CONFIG)}")
    if ENCODER["layers"] > 0:
        print(f"encoder: {json.dumps(ENCODER)} (experiment: export_onnx.py exports the table only)")

    tokens = load_vocab(args.model)
    vectors = fasttext_vectors(os.path.join(args.work, "skipgram.vec"), tokens)
    counts = token_counts(os.path.join(args.work, "corpus.tokens.txt"), tokens)
    table = initial_table(vectors, counts, tokens)
    sif = SIF_A / (SIF_A + counts / counts.sum())
    concepts = load_concepts(os.path.join(args.work, "concepts.ids.jsonl"))
    pairs = training_pairs(concepts)
    synonym_pairs = len(pairs)
    pairs += extra_pairs(os.path.join(args.work, "extra_pairs.ids.jsonl"), CONFIG["extra"], len(concepts))
    print(f"skip-gram table: {table.shape[0]} tokens x {table.shape[1]} dims, {int((counts > 0).sum())} seen in the corpus")
    before = synonym_scores(table, concepts, "dev")
    print(f"dev synonyms before fine-tuning: {json.dumps(before)}")
    print(f"fine-tuning on {synonym_pairs} synonym pairs and {len(pairs) - synonym_pairs} extra pairs")
    documents = load_documents(os.path.join(args.work, "codiesp_train.ids.jsonl"))
    print(f"and {len(documents)} coded CodiEsp train documents")
    model = EncoderModel(table, tokens, sif) if ENCODER["layers"] > 0 else StaticModel(table, tokens, sif)
    table = fine_tune(model, pairs, documents, concepts)
    after = synonym_scores(table, concepts, "dev", embedder(model))
    print(f"dev synonyms after fine-tuning: {json.dumps(after)}")
    np.save(os.path.join(args.work, args.out), table.astype(np.float32))
    if ENCODER["layers"] > 0:
        torch.save(model.encoder.state_dict(), os.path.join(args.work, args.out.replace(".npy", "") + "-encoder.pt"))
    report = os.path.join(args.work, args.out.replace(".npy", "") + "-report.json")
    with open(report, "w", encoding="utf-8") as f:
        json.dump({"config": CONFIG, **({"encoder": ENCODER} if ENCODER["layers"] > 0 else {}), "dev_before": before,
                   "dev_after": after, "synonym_pairs": synonym_pairs, "extra_pairs": len(pairs) - synonym_pairs},
                  f, indent=2)


if __name__ == "__main__":
    main()
