"""Peer run for `aelab bench tsne`: scikit-learn's Barnes-Hut t-SNE (defaults, random_state=3) on the same points.

    aelab bench tsne --points 5000 --space pixels --dump-csv /tmp/points.csv   # writes label,v0,v1,... per point
    /usr/bin/python3 bench/sklearn_tsne.py /tmp/points.csv 5000                # Debian: apt-get install python3-sklearn

Prints the seconds of fit_transform, the 10-NN label accuracy of the map (leave-one-out majority vote, ties to the
smallest label, as EmbeddingQuality.NeighborLabelAccuracy) and the KL divergence. Quote `uptime`'s load with the time.
"""
import sys
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE
from sklearn.neighbors import NearestNeighbors

path, n = sys.argv[1], int(sys.argv[2])
data = np.loadtxt(path, delimiter=",", dtype=np.float32, max_rows=n)
labels, x = data[:, 0].astype(int), data[:, 1:]
start = time.perf_counter()
tsne = TSNE(random_state=3)
y = tsne.fit_transform(x)
seconds = time.perf_counter() - start
_, neighbours = NearestNeighbors(n_neighbors=11).fit(y).kneighbors(y)  # column 0: the point itself
votes = np.zeros((n, labels.max() + 1), int)
for e in range(1, 11):
    np.add.at(votes, (np.arange(n), labels[neighbours[:, e]]), 1)
accuracy = (votes.argmax(1) == labels).mean()
print(f"scikit-learn {sklearn.__version__}: {n} points, {x.shape[1]}-d, {seconds:.2f} s, "
      f"10-NN accuracy {accuracy:.4f}, KL {tsne.kl_divergence_:.4f}")
