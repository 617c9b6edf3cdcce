#!/usr/bin/python3
"""Merges ScopeFlow's JMH results (JSON, one or more files) and bench/pytorch/lstm_bench.py's results into the one
table scripts/bench-lstm.sh prints (Markdown, so that it can go into the README as it is).

Columns: configuration, ScopeFlow ms (median of JMH's measurement iterations), PyTorch ms (median of its calls),
ratio = PyTorch time / ScopeFlow time (above 1: ScopeFlow is faster), GFLOP/s of both. Flops: 2*M*K*N for a GEMM;
2*B*(I+H)*4H for one LSTM step, times T=50 for the forward sequence, about 3x that for a training step (forward plus
the two backward products). With JMH's gc profiler (--gc) a column gives ScopeFlow's bytes allocated per call.
"""

import argparse
import json
import re
import statistics
import sys

INPUT, HIDDEN, STEPS = 256, 512, 50
GEMM_RE = re.compile(r"(\d+)x(\d+)x(\d+)(?:_(\w\w))?")


def step_flops(batch):
    return 2.0 * batch * (INPUT + HIDDEN) * 4 * HIDDEN


def flops(key):
    kind, _, arg = key.partition("/")
    if kind == "gemm":
        m, k, n = (int(g) for g in GEMM_RE.fullmatch(arg).groups()[:3])
        return 2.0 * m * k * n
    batch = int(arg.split("=")[1])
    if kind == "lstm-step":
        return step_flops(batch)
    if kind == "lstm-forward":
        return STEPS * step_flops(batch)
    if kind == "lstm-train":
        return 3 * STEPS * step_flops(batch)
    raise ValueError(key)


def describe(key):
    kind, _, arg = key.partition("/")
    if kind == "gemm":
        m, k, n, flags = GEMM_RE.fullmatch(arg).groups()
        what = {"tn": " (dW: A^T)", "nt": " (dX: B^T)"}.get(flags, "")
        return "GEMM %sx%sx%s%s" % (m, k, n, what)
    label = {"lstm-step": "LSTM 1 step fwd", "lstm-forward": "LSTM T=50 forward",
             "lstm-train": "LSTM T=50 train (Adam)"}[kind]
    return "%s %s" % (label, arg)


def jmh_rows(paths):
    """(key, runtime/engine label, median ms, bytes/op or None) per JMH result."""
    rows = []
    for path in paths:
        with open(path) as f:
            results = json.load(f)
        for r in results:
            name = r["benchmark"].rsplit(".", 2)
            cls, method = name[-2], name[-1]
            params = r.get("params", {})
            runtime = params.get("runtime", "cpu")
            if cls == "GemmEngineBenchmark":
                key, where = "gemm/" + params["shape"], "engine"
            elif cls == "MatMulSessionBenchmark":
                key, where = "gemm/" + params["shape"], "MatMul " + runtime
            elif cls == "LstmStepBenchmark":
                key, where = "lstm-step/B=" + params["batch"], runtime
            elif cls == "LstmSequenceBenchmark":
                key, where = "lstm-%s/B=%s" % ("forward" if method == "forward" else "train", params["batch"]), runtime
            else:
                continue
            metric = r["primaryMetric"]
            scale = {"ms/op": 1.0, "us/op": 1e-3, "s/op": 1e3, "ns/op": 1e-6}[metric["scoreUnit"]]
            iterations = [v for fork in metric.get("rawData", []) for v in fork]
            ms = (statistics.median(iterations) if iterations else metric["score"]) * scale
            alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm") or \
                r.get("secondaryMetrics", {}).get("\u00b7gc.alloc.rate.norm")
            rows.append((key, where, ms, alloc["score"] if alloc else None))
    return rows


ORDER = ["gemm", "lstm-step", "lstm-forward", "lstm-train"]
GEMM_ORDER = ["64x1024x2048", "32x1024x2048", "1x1024x2048", "64x2048x1024_nt", "1024x64x2048_tn"]


def sort_key(row):
    key, where = row[0], row[1]
    kind, _, arg = key.partition("/")
    where_rank = 0 if where == "engine" else (1 if where.startswith("MatMul cpu") else
                                              2 if where.startswith("MatMul") else 3 if where == "cpu" else 4)
    if kind == "gemm":
        return (0, where_rank, GEMM_ORDER.index(arg) if arg in GEMM_ORDER else len(GEMM_ORDER))
    return (ORDER.index(kind), where_rank, int(arg.split("=")[1]))


def fmt_ms(ms):
    if ms is None:
        return "-"
    return "%.3f" % ms if ms < 10 else "%.1f" % ms if ms < 1000 else "%.0f" % ms


def fmt_rate(gflops):
    return "%.1f" % gflops if gflops >= 1 else "%.2f" % gflops


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jmh", nargs="+", default=[], help="JMH JSON result files")
    parser.add_argument("--torch", required=True, help="lstm_bench.py's JSON")
    parser.add_argument("--engine", default="?", help="ScopeFlow's CPU GEMM engine (for the GEMM rows' label)")
    args = parser.parse_args()

    with open(args.torch) as f:
        torch_results = json.load(f)["results"]
    rows = sorted(jmh_rows(args.jmh), key=sort_key)
    with_alloc = any(r[3] is not None for r in rows)

    header = ["configuration", "ScopeFlow", "ScopeFlow ms", "PyTorch ms", "PyTorch/ScopeFlow", "ScopeFlow GFLOP/s",
              "PyTorch GFLOP/s"]
    if with_alloc:
        header.append("ScopeFlow MB alloc/call")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    for key, where, ms, alloc in rows:
        torch_ms = torch_results.get(key, {}).get("median_ms")
        gflop = flops(key) / 1e9
        cells = [describe(key),
                 "%s engine" % args.engine if where == "engine" else where,
                 fmt_ms(ms), fmt_ms(torch_ms),
                 "%.2f" % (torch_ms / ms) if torch_ms else "-",
                 fmt_rate(gflop / (ms / 1e3)),
                 fmt_rate(gflop / (torch_ms / 1e3)) if torch_ms else "-"]
        if with_alloc:
            cells.append("%.1f" % (alloc / 1e6) if alloc is not None else "-")
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))
    missing = sorted(set(torch_results) - {r[0] for r in rows})
    if missing:
        print("\n(PyTorch only, no ScopeFlow result: %s)" % ", ".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
