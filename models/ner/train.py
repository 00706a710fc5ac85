"""Trains the disease/chemical mention finder: a character network and dilated convolutions over frozen fastText word vectors
and per-token shape and gazetteer features, with two CRF output heads sharing the encoder (NCBI-disease
conventions: disease; BC5CDR conventions: chemical and disease). Exports the emission network to ONNX and the CRF
transitions and vocabulary to JSON; Viterbi decoding runs in TypeScript (src/notes/structuring/ner/).

  python3 train.py TRAIN.jsonl VECTORS.vec OUT_DIR [--no-gazetteer] [--epochs N]
  python3 train.py TRAIN.jsonl --init MODEL_DIR OUT_DIR [--epochs N]   (continue from an exported model)

Early stopping watches exact-span F1 on a held-out 10% of the TRAINING documents (the dev sets are never read).
With --init the vocabulary, word vectors and every weight come from MODEL_DIR (ner.json, ner.onnx), so a run that
stopped at its epoch cap can go on with a lower, decaying learning rate; --epochs 0 only re-exports it.
"""
import argparse, hashlib, json, os, random, time
import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("train")
p.add_argument("vectors", nargs="?", help="fastText .vec file (not with --init)")
p.add_argument("out")
p.add_argument("--no-gazetteer", action="store_true")
p.add_argument("--epochs", type=int, default=14)
p.add_argument("--patience", type=int, default=3)
p.add_argument("--vocab", type=int, default=20000)
p.add_argument("--hidden", type=int, default=96)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--init", help="model folder (ner.json, ner.onnx) to start from")
p.add_argument("--lr", type=float, default=2e-3)
p.add_argument("--decay", type=float, default=1.0, help="learning rate factor per epoch")
p.add_argument("--export-only", action="store_true", help="export OUT_DIR/best.pt (an interrupted run's best epoch)")
args = p.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(13)
random.seed(13)
np.random.seed(13)

HEADS = {"ncbi": ["O", "B-disease", "I-disease"],
         "cdr": ["O", "B-disease", "I-disease", "B-chemical", "I-chemical"]}
GAZETTEER_COLUMNS = slice(4, 10)

docs = [json.loads(l) for l in open(args.train, encoding="utf-8")]
if args.no_gazetteer:
    for d in docs:
        for f in d["features"]:
            f[GAZETTEER_COLUMNS] = [0.0] * 6

# Word vectors: the most frequent corpus words plus every training word the corpus knows; 0 = padding, 1 = unknown.
def read_vectors(path):
    with open(path, encoding="utf-8") as f:
        n, dim = map(int, f.readline().split())
        vec = {}
        order = []
        for line in f:
            parts = line.rstrip().split(" ")
            if len(parts) != dim + 1:
                continue
            vec[parts[0]] = parts[1:]
            order.append(parts[0])
    train_words = {w for d in docs for w in d["words"]}
    top = set(order[: args.vocab])
    vocab = ["<pad>", "<unk>"] + order[: args.vocab] + sorted(w for w in train_words if w in vec and w not in top)
    emb = np.zeros((len(vocab), dim), dtype=np.float32)
    for i, w in enumerate(vocab):
        if w in vec:
            emb[i] = np.asarray(vec[w], dtype=np.float32)
    return vocab, emb


def read_initial(folder):
    """The exported model's vocabulary, CRF scores and network weights (ONNX initializers by name; a Linear's
    weight is exported transposed under a generated name, found by its shape, which is unique per layer)."""
    import onnx
    from onnx import numpy_helper
    meta = json.load(open(os.path.join(folder, "ner.json"), encoding="utf-8"))
    weights = {i.name: numpy_helper.to_array(i) for i in onnx.load(os.path.join(folder, "ner.onnx")).graph.initializer}
    return meta, weights


initial = read_initial(args.init) if args.init else None
if initial:
    vocab = initial[0]["vocabulary"]
    emb = initial[1]["t.enc.words.weight"].astype(np.float32)
else:
    vocab, emb = read_vectors(args.vectors)
dim = emb.shape[1]
word_id = {w: i for i, w in enumerate(vocab)}
train_words = {w for d in docs for w in d["words"]}
print(f"vocabulary {len(vocab)} x {dim}; training words covered {sum(w in word_id for w in train_words)}/{len(train_words)}", flush=True)


def held_out(doc):
    return int(hashlib.sha1(doc["pmid"].encode()).hexdigest(), 16) % 10 == 0


def tensorize(doc):
    labels = HEADS[doc["corpus"]]
    return {
        "corpus": doc["corpus"],
        "words": torch.tensor([word_id.get(w, 1) for w in doc["words"]], dtype=torch.long),
        "chars": doc["chars"],
        "features": torch.tensor(doc["features"], dtype=torch.float32),
        "tags": torch.tensor([labels.index(l) if l in labels else 0 for l in doc["labels"]], dtype=torch.long),
    }


train = [tensorize(d) for d in docs if not held_out(d)]
check = [tensorize(d) for d in docs if held_out(d)]
print(f"train {len(train)} docs, held-out {len(check)} docs", flush=True)


class CRF(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))

    def nll(self, em, tags, mask):
        # em [B,T,K], tags [B,T], mask [B,T] (bool, prefix)
        lengths = mask.sum(1)
        gold = self.start[tags[:, 0]] + em.gather(2, tags.unsqueeze(2)).squeeze(2).mul(mask).sum(1)
        gold = gold + (self.trans[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]).sum(1)
        gold = gold + self.end[tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1)]
        alpha = self.start + em[:, 0]
        for t in range(1, em.shape[1]):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0) + em[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t].unsqueeze(1), nxt, alpha)
        return (torch.logsumexp(alpha + self.end, 1) - gold).sum()


def viterbi(em, trans, start, end):
    T, K = em.shape
    score = start + em[0]
    back = np.zeros((T, K), dtype=np.int64)
    for t in range(1, T):
        s = score[:, None] + trans
        back[t] = s.argmax(0)
        score = s.max(0) + em[t]
    best = [int((score + end).argmax())]
    for t in range(T - 1, 0, -1):
        best.append(int(back[t][best[-1]]))
    return best[::-1]


class Encoder(nn.Module):
    """Dilated convolutions (receptive field 15 tokens) instead of an LSTM: the same kind of context, but as large
    matrix products, several times cheaper to train on a shared CPU and to run per note."""

    def __init__(self, emb, n_features, hidden):
        super().__init__()
        self.words = nn.Embedding.from_pretrained(torch.from_numpy(emb), freeze=True, padding_idx=0)
        self.chars = nn.Embedding(130, 16, padding_idx=0)
        self.char_cnn = nn.Linear(3 * 16, 32)
        self.drop = nn.Dropout(0.4)
        width = emb.shape[1] + 32 + n_features
        self.convs = nn.ModuleList([
            nn.Conv1d(width, hidden, kernel_size=3, padding=1, dilation=1),
            nn.Conv1d(hidden, hidden, kernel_size=3, padding=2, dilation=2),
            nn.Conv1d(hidden, hidden, kernel_size=3, padding=4, dilation=4),
        ])
        self.heads = nn.ModuleDict({k: nn.Linear(hidden, len(v)) for k, v in HEADS.items()})

    def char_vectors(self, rows):
        # rows [N,L] character ids -> [N,32]: width-3 windows as one matrix product (a Conv1d over many short
        # words is slow on the CPU), max over the word.
        x = nn.functional.pad(self.chars(rows), (0, 0, 1, 1))
        windows = torch.cat([x[:, :-2], x[:, 1:-1], x[:, 2:]], 2)
        return torch.relu(self.char_cnn(windows)).max(1).values

    def char_features(self, chars):
        # chars [B,T,L] -> [B,T,32], computed once per distinct word of the batch.
        b, t, l = chars.shape
        distinct, index = torch.unique(chars.reshape(b * t, l), dim=0, return_inverse=True)
        return self.char_vectors(distinct)[index].reshape(b, t, -1)


class Tagger(nn.Module):
    def __init__(self, emb, n_features, hidden):
        super().__init__()
        self.enc = Encoder(emb, n_features, hidden)
        self.crfs = nn.ModuleDict({k: CRF(len(v)) for k, v in HEADS.items()})

    def hidden_states(self, words, char_features, features, mask=None):
        e = self.enc
        x = e.drop(torch.cat([e.words(words), char_features, features], 2)).transpose(1, 2)
        # Padding is zeroed before every layer, so a padded document reads exactly as it would alone.
        keep = None if mask is None else mask.unsqueeze(1).float()
        for i, conv in enumerate(e.convs):
            if keep is not None:
                x = x * keep
            y = torch.relu(conv(x))
            x = y if i == 0 else x + y
        return e.drop(x.transpose(1, 2))


def batchify(items):
    t = max(len(i["words"]) for i in items)
    l = 20  # every word padded to the longest the tokenizer keeps (MAX_WORD_CHARS), as at run time
    words = torch.zeros(len(items), t, dtype=torch.long)
    chars = torch.zeros(len(items), t, l, dtype=torch.long)
    feats = torch.zeros(len(items), t, items[0]["features"].shape[1])
    tags = torch.zeros(len(items), t, dtype=torch.long)
    mask = torch.zeros(len(items), t, dtype=torch.bool)
    for b, i in enumerate(items):
        n = len(i["words"])
        words[b, :n] = i["words"]
        for j, c in enumerate(i["chars"]):
            chars[b, j, : len(c)] = torch.tensor(c)
        feats[b, :n] = i["features"]
        tags[b, :n] = i["tags"]
        mask[b, :n] = True
    return words, chars, feats, tags, mask


def spans(tags, labels):
    out, cur = set(), None
    for i, t in enumerate(list(tags) + [0]):
        lab = labels[t]
        if cur and (lab == "O" or lab.startswith("B-") or lab[2:] != cur[2]):
            out.add((cur[0], i, cur[2]))
            cur = None
        if lab != "O" and cur is None:
            cur = (i, None, lab[2:])
    return out


model = Tagger(emb, train[0]["features"].shape[1], args.hidden)


def load_initial(meta, weights):
    state = model.state_dict()
    unused = dict(weights)
    for name in state:
        if name.startswith("crfs."):
            _, head, part = name.split(".")
            value = np.asarray(meta["heads"][head]["transitions" if part == "trans" else part], dtype=np.float32)
        elif "t." + name in unused:
            value = unused.pop("t." + name)
        else:
            shape = tuple(state[name].shape)
            found = [k for k, v in unused.items() if len(shape) == 2 and v.shape == shape[::-1]]
            if len(found) != 1:
                raise SystemExit(f"--init: no single initializer for {name} {shape} (candidates {found})")
            value = unused.pop(found[0]).T
        state[name] = torch.from_numpy(np.ascontiguousarray(value))
    model.load_state_dict(state)


if initial:
    load_initial(*initial)
opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr)
schedule = torch.optim.lr_scheduler.ExponentialLR(opt, args.decay)


def evaluate():
    model.eval()
    tp = fp = fn = 0
    with torch.no_grad():
        for item in check:
            w, c, f, tags, mask = batchify([item])
            h = model.hidden_states(w, model.enc.char_features(c), f)
            em = model.enc.heads[item["corpus"]](h)[0].numpy()
            crf = model.crfs[item["corpus"]]
            pred = viterbi(em, crf.trans.detach().numpy(), crf.start.detach().numpy(), crf.end.detach().numpy())
            labels = HEADS[item["corpus"]]
            g, pr = spans(item["tags"].tolist(), labels), spans(pred, labels)
            tp += len(g & pr); fp += len(pr - g); fn += len(g - pr)
    model.train()
    return 2 * tp / max(1, 2 * tp + fp + fn)


os.makedirs(args.out, exist_ok=True)
best, best_epoch, started = -1.0, 0, time.time()
state_path = os.path.join(args.out, "best.pt")
if initial:
    best, best_epoch = evaluate(), 0
    torch.save(model.state_dict(), state_path)
    print(f"initial model: held-out exact F1 {best:.4f}", flush=True)
for epoch in range(1, 0 if args.export_only else args.epochs + 1):
    rng = random.Random(epoch)
    # Batches of similar length (less padding), shuffled; each batch from one corpus so one head is trained.
    batches = []
    for corpus in HEADS:
        items = sorted((i for i in train if i["corpus"] == corpus), key=lambda i: len(i["words"]) + rng.random() * 40)
        batches += [items[k : k + 8] for k in range(0, len(items), 8)]
    rng.shuffle(batches)
    total = 0.0
    for n_batch, items in enumerate(batches, 1):
        if n_batch % 25 == 0:
            print(f"  batch {n_batch}/{len(batches)}, {time.time() - started:.0f}s", flush=True)
        w, c, f, tags, mask = batchify(items)
        h = model.hidden_states(w, model.enc.char_features(c), f, mask)
        corpus = items[0]["corpus"]
        loss = model.crfs[corpus].nll(model.enc.heads[corpus](h), tags, mask) / len(items)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        total += loss.item()
    schedule.step()
    f1 = evaluate()
    print(f"epoch {epoch}: loss {total / len(batches):.3f}, held-out exact F1 {f1:.4f}, {time.time() - started:.0f}s", flush=True)
    if f1 > best:
        best, best_epoch = f1, epoch
        torch.save(model.state_dict(), state_path)
    elif epoch - best_epoch >= args.patience:
        break

model.load_state_dict(torch.load(state_path))
os.remove(state_path)
model.eval()
if args.export_only:
    best, best_epoch = evaluate(), None
    model.eval()
print(f"best held-out F1 {best:.4f} at epoch {best_epoch}; {time.time() - started:.0f}s", flush=True)


class Emissions(nn.Module):
    """What ONNX runs: one document (batch 1, no padding) to both heads' emission scores. The character network
    reads each distinct word once: `chars` holds the distinct words [1, U, L] and `char_index` [1, T] says which one
    each token is (a note repeats most of its words)."""

    def __init__(self, tagger):
        super().__init__()
        self.t = tagger

    def forward(self, words, chars, char_index, features):
        char_features = self.t.enc.char_vectors(chars[0])[char_index[0]].unsqueeze(0)
        h = self.t.hidden_states(words, char_features, features)
        return self.t.enc.heads["ncbi"](h), self.t.enc.heads["cdr"](h)


w, c, f, _, _ = batchify(check[:1])
distinct, index = torch.unique(c[0], dim=0, return_inverse=True)
torch.onnx.export(
    Emissions(model), (w, distinct.unsqueeze(0), index.unsqueeze(0), f), os.path.join(args.out, "ner.onnx"),
    input_names=["words", "chars", "char_index", "features"], output_names=["ncbi", "cdr"],
    dynamic_axes={"words": {1: "tokens"}, "chars": {1: "distinct", 2: "letters"}, "char_index": {1: "tokens"},
                  "features": {1: "tokens"}, "ncbi": {1: "tokens"}, "cdr": {1: "tokens"}},
    opset_version=13,
)
json.dump({
    "format": 1,
    "vocabulary": vocab,
    "heads": {k: {"labels": v, "transitions": model.crfs[k].trans.detach().tolist(),
                  "start": model.crfs[k].start.detach().tolist(), "end": model.crfs[k].end.detach().tolist()}
              for k, v in HEADS.items()},
    "gazetteer": not args.no_gazetteer,
    "training": {"held_out_f1": round(best, 4), "best_epoch": best_epoch, "seconds": round(time.time() - started)},
}, open(os.path.join(args.out, "ner.json"), "w"), separators=(",", ":"))
print("exported", flush=True)
