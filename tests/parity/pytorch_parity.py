#!/usr/bin/env python3
"""The original assignment's Problem 2/4 training in PyTorch, for step-by-step parity tests with AutoencoderLab."""
import argparse
import gzip
import json
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class AutoEncoder(nn.Module):
    """The original's model: note the 25-wide bottleneck, then the 50-d latent code."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 1000), nn.ReLU(), nn.Linear(1000, 25), nn.ReLU(), nn.Linear(25, 50))
        self.decoder = nn.Sequential(nn.ReLU(), nn.Linear(50, 1000), nn.ReLU(), nn.Linear(1000, 784))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def contrastive_loss(z, z_neg, tau=0.5):
    """The original's negative-only loss: mean log(1 + exp(cos(z, z_neg) / tau))."""
    z = F.normalize(z, dim=1)
    z_neg = F.normalize(z_neg, dim=1)
    return torch.log(1 + torch.exp((z * z_neg).sum(dim=1) / tau)).mean()


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_training_set(folder):
    images = read_idx(f"{folder}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    labels = read_idx(f"{folder}/train-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(images), torch.from_numpy(labels)


def train(args):
    torch.set_num_threads(1)
    images, labels = load_training_set(args.data)
    if args.samples:
        images, labels = images[:args.samples], labels[:args.samples]
    torch.manual_seed(args.seed)
    model = AutoEncoder()
    if args.initial:
        model.load_state_dict(torch.load(args.initial))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-8)
    loader = DataLoader(TensorDataset(images, labels, torch.arange(len(labels))), batch_size=args.batch_size, shuffle=True)
    pairs = json.load(open(args.pairs)) if args.pairs else None
    losses, reconstruction, contrastive, first_positions = [], [], [], []
    step = 0
    while step < args.steps:
        for x, y, positions in loader:
            if step >= args.steps:
                break
            first_positions.append(int(positions[0]))
            z = model.encoder(x)
            mse = F.mse_loss(model.decoder(z), x)
            loss = mse
            if pairs is not None:
                a1, a2 = pairs[step]
                z_pos, z_neg = z[y == a1], z[y == a2]
                n = min(len(z_pos), len(z_neg))
                ctr = contrastive_loss(z_pos[:n], z_neg[:n]) if n > 0 else torch.zeros(())
                loss = mse + ctr
                reconstruction.append(mse.item())
                contrastive.append(ctr.item())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            step += 1
    with open(args.out, "w") as f:
        json.dump({"losses": losses, "reconstruction": reconstruction, "contrastive": contrastive,
                   "firstPositions": first_positions, "torch": torch.__version__}, f)
    if args.weights_out:
        with open(args.weights_out, "wb") as f:
            for tensor in model.state_dict().values():
                f.write(tensor.detach().numpy().astype("<f4").tobytes())


def reconstruct(args):
    images, _ = load_training_set(args.data)
    model = AutoEncoder()
    model.load_state_dict(torch.load(args.weights))
    with torch.no_grad():
        out = model(images[:args.count])
    with open(args.out, "wb") as f:
        f.write(out.numpy().astype("<f4").tobytes())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train the original's steps and write their losses")
    t.add_argument("--data", required=True, help="folder with the four MNIST .gz files")
    t.add_argument("--seed", type=int, default=3)
    t.add_argument("--steps", type=int, default=59)
    t.add_argument("--batch-size", type=int, default=1024)
    t.add_argument("--samples", type=int, default=0, help="use only the first N training images (0: all)")
    t.add_argument("--initial", help="a state dict to start from instead of the seeded initialisation")
    t.add_argument("--pairs", help="JSON list of [a1, a2] per step: train with the contrastive term")
    t.add_argument("--out", required=True, help="JSON file for the losses")
    t.add_argument("--weights-out", help="raw float32 file for the final weights, in state_dict order")
    t.set_defaults(run=train)
    r = sub.add_parser("reconstruct", help="reconstruct the first images with a state dict")
    r.add_argument("--data", required=True)
    r.add_argument("--weights", required=True, help="a .pt state dict with the original's key names")
    r.add_argument("--count", type=int, default=16)
    r.add_argument("--out", required=True, help="raw float32 file for the reconstructions")
    r.set_defaults(run=reconstruct)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
