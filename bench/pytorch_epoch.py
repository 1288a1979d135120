"""Peer run for `aelab bench train --peer`: the same epoch of Problem 2 in PyTorch, the training set preloaded as one tensor.

    /usr/bin/python3 bench/pytorch_epoch.py --images data/mnist/train-images-idx3-ubyte.gz --epochs 3 --threads 2

The model class and training step are the parity tests' (tests/parity/pytorch_parity.py): batch size 1024, the last
batch short, Adam lr 1e-3 weight decay 1e-8, MSE reconstruction. Each epoch shuffles with randperm and gathers its
batches with index_select, as the C# trainer does (no DataLoader: its per-sample collation would be timed too).
Prints one JSON line: torch version, threads, each epoch's seconds and their median.
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "parity"))
from pytorch_parity import AutoEncoder  # noqa: E402  (one model class for parity and speed)


def read_images(path):
    """An idx3 file, gzipped or not, as float32 [N, 784] in [0, 1]."""
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    pixels = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape[0], -1)
    return torch.from_numpy(pixels.astype(np.float32) / 255.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", required=True, help="train-images-idx3-ubyte(.gz)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    images = read_images(args.images).to(device)
    torch.manual_seed(args.seed)
    model = AutoEncoder().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-8)
    seconds = []
    for _ in range(args.epochs):
        start = time.perf_counter()
        order = torch.randperm(len(images), device=device)
        for first in range(0, len(images), args.batch_size):
            x = images.index_select(0, order[first:first + args.batch_size])
            loss = F.mse_loss(model.decoder(model.encoder(x)), x)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss.item()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "device": str(device),
                      "epochSeconds": seconds, "medianEpochSeconds": statistics.median(seconds)}))


if __name__ == "__main__":
    main()
