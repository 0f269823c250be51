"""The baseline for bench_train: the same MLP, batch size and thread count trained by a plain
PyTorch Python loop on Fashion-MNIST held in memory. Prints one line: samples_per_second=<n>.

Usage: pytorch_loop.py FASHION_DIR STEPS BATCH THREADS [MODULE.pt]
With MODULE.pt the loop trains that TorchScript module (torch.jit.load); a file that does not
exist yet is first written with torch.jit.save(torch.jit.script(the MLP)), so that Trainscope
can train the very same module."""
import os
import gzip
import sys
import time

import numpy as np
import torch


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main(directory, steps, batch, threads, module=None):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy(read_idx(directory + "/train-images-idx3-ubyte.gz").astype(np.float32) / 255.0)
    y = torch.from_numpy(read_idx(directory + "/train-labels-idx1-ubyte.gz").astype(np.int64))
    x = x.reshape(-1, 1, 28, 28)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                torch.nn.Dropout(0.2), torch.nn.Linear(512, 10))
    if module:
        if not os.path.exists(module):
            torch.jit.save(torch.jit.script(model), module)
        model = torch.jit.load(module)
        model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(len(x))
    done = 0
    start = None
    for step in range(steps + 10):
        if step == 10:  # after warm-up
            start = time.perf_counter()
            done = 0
        idx = order[(step * batch) % (len(x) - batch):][:batch]
        xb, yb = x[idx], y[idx]
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()
        done += batch
    print(f"samples_per_second={done / (time.perf_counter() - start):.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
         sys.argv[5] if len(sys.argv) > 5 else None)
