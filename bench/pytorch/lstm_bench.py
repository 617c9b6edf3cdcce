#!/usr/bin/python3
"""PyTorch side of scripts/bench-lstm.sh: the configurations of ScopeFlow's JMH benchmarks (module bench), timed
the same way (fresh pre-generated random inputs per call, warm-up, then the median of the measured calls), written
as JSON for bench/pytorch/report.py.

Configurations (float32, I=256, H=512, T=50):
  gemm/<MxKxN[_tn|_nt]>  torch.mm into a preallocated output; _nt multiplies by a transposed view of B (the input
                         gradient dY.W^T), _tn by a transposed view of A (the weight gradient X^T.dY)
  lstm-step/B=<b>        one nn.LSTMCell(256, 512) call on x [B,256] and (h, c) [B,512], under no_grad
  lstm-forward/B=<b>     nn.LSTM(256, 512, batch_first=True) over [B,50,256], under no_grad
  lstm-train/B=<b>       the same LSTM, loss = mean(outputs^2), backward, torch.optim.Adam(lr=1e-3) step
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch

INPUT = 256
HIDDEN = 512
STEPS = 50
POOL = 4
GEMM_SHAPES = ["64x1024x2048", "32x1024x2048", "1x1024x2048", "64x2048x1024_nt", "1024x64x2048_tn"]
BATCHES = [1, 32, 64]


def measure(fn, warmup_s, warmup_min, measure_s, measure_min):
    """Calls fn until both the time and the count minimums are met, first to warm up, then to measure; returns the
    measured calls' times in ms."""
    start = time.perf_counter()
    n = 0
    while n < warmup_min or time.perf_counter() - start < warmup_s:
        fn()
        n += 1
    times = []
    start = time.perf_counter()
    while len(times) < measure_min or time.perf_counter() - start < measure_s:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def cycling(pool):
    """A function returning the pool's items in turn."""
    state = {"i": 0}

    def next_item():
        item = pool[state["i"]]
        state["i"] = (state["i"] + 1) % len(pool)
        return item

    return next_item


def gemm_case(shape):
    dims, _, flags = shape.partition("_")
    m, k, n = (int(d) for d in dims.split("x"))
    flags = flags or "nn"
    trans_a, trans_b = flags[0] == "t", flags[1] == "t"
    a_pool = [torch.rand(k, m) * 2 - 1 if trans_a else torch.rand(m, k) * 2 - 1 for _ in range(POOL)]
    b = torch.rand(n, k) * 2 - 1 if trans_b else torch.rand(k, n) * 2 - 1
    b_op = b.t() if trans_b else b
    c = torch.empty(m, n)
    next_a = cycling(a_pool)

    def run():
        a = next_a()
        torch.mm(a.t() if trans_a else a, b_op, out=c)

    return run


def lstm_step_case(batch):
    cell = torch.nn.LSTMCell(INPUT, HIDDEN)
    pool = [(torch.rand(batch, INPUT) * 2 - 1, torch.rand(batch, HIDDEN) * 2 - 1, torch.rand(batch, HIDDEN) * 2 - 1)
            for _ in range(POOL)]
    next_input = cycling(pool)

    def run():
        x, h, c = next_input()
        with torch.no_grad():
            cell(x, (h, c))

    return run


def lstm_forward_case(batch):
    lstm = torch.nn.LSTM(INPUT, HIDDEN, batch_first=True)
    next_x = cycling([torch.rand(batch, STEPS, INPUT) * 2 - 1 for _ in range(POOL)])

    def run():
        with torch.no_grad():
            lstm(next_x())

    return run


def lstm_train_case(batch):
    lstm = torch.nn.LSTM(INPUT, HIDDEN, batch_first=True)
    optimizer = torch.optim.Adam(lstm.parameters(), lr=1e-3)
    next_x = cycling([torch.rand(batch, STEPS, INPUT) * 2 - 1 for _ in range(POOL)])

    def run():
        optimizer.zero_grad(set_to_none=True)
        outputs, _ = lstm(next_x())
        loss = outputs.pow(2).mean()
        loss.backward()
        optimizer.step()
        loss.item()

    return run


def blas_libraries():
    """The BLAS/LAPACK/OpenMP shared libraries this process has mapped (after a matrix product has run)."""
    torch.mm(torch.rand(64, 64), torch.rand(64, 64))
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path)
            if any(key in name for key in ("blas", "lapack", "mkl", "gomp", "omp.so")):
                found.add(path)
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, required=True, help="torch.set_num_threads (ScopeFlow's count)")
    parser.add_argument("--quick", action="store_true", help="shorter warm-up and measurement")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--only", default="", help="run only configurations whose key contains this text")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    timing = (0.5, 1, 1.0, 3) if args.quick else (2.0, 2, 5.0, 10)

    cases = [("gemm/" + s, lambda s=s: gemm_case(s)) for s in GEMM_SHAPES]
    cases += [("lstm-step/B=%d" % b, lambda b=b: lstm_step_case(b)) for b in BATCHES]
    cases += [("lstm-forward/B=%d" % b, lambda b=b: lstm_forward_case(b)) for b in BATCHES]
    cases += [("lstm-train/B=%d" % b, lambda b=b: lstm_train_case(b)) for b in BATCHES]

    results = {}
    for key, make in cases:
        if args.only and args.only not in key:
            continue
        times = measure(make(), *timing)
        results[key] = {"median_ms": statistics.median(times), "samples": len(times),
                        "min_ms": min(times), "max_ms": max(times)}
        print("  pytorch %-24s %10.3f ms (median of %d)" % (key, results[key]["median_ms"], len(times)),
              file=sys.stderr, flush=True)

    info = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "blas_libraries": blas_libraries(),
        "config": torch.__config__.show(),
    }
    with open(args.out, "w") as f:
        json.dump({"info": info, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
