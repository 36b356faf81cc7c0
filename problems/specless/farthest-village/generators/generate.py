"""Writes data/secret for Farthest Village. Deterministic: run from the problem folder."""

import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "secret")
MAXN = 2 * 10**5
MAXW = 10**4


def solve(n, edges):
    adj = [[] for _ in range(n + 1)]
    for u, v, w in edges:
        adj[u].append((v, w))
        adj[v].append((u, w))
    dist = [-1] * (n + 1)
    dist[1] = 0
    stack = [1]
    while stack:
        x = stack.pop()
        for y, w in adj[x]:
            if dist[y] < 0:
                dist[y] = dist[x] + w
                stack.append(y)
    return max(dist)


def relabel(rng, n, edges, keep_one=False):
    """Random labels for the villages (village 1 keeps its label if keep_one), random
    order of the roads and of the two ends of each road."""
    perm = list(range(1, n + 1))
    rng.shuffle(perm)
    if keep_one:
        i = perm.index(1)
        perm[0], perm[i] = perm[i], perm[0]
    label = [0] + perm
    out = []
    for u, v, w in edges:
        a, b = label[u], label[v]
        if rng.random() < 0.5:
            a, b = b, a
        out.append((a, b, w))
    rng.shuffle(out)
    return out


def random_parent_tree(rng, n, weight, window=None):
    edges = []
    for i in range(2, n + 1):
        lo = 1 if window is None else max(1, i - window)
        edges.append((rng.randint(lo, i - 1), i, weight()))
    return edges


def write(name, n, edges):
    assert len(edges) == n - 1
    lines = ["%d\n" % n] + ["%d %d %d\n" % e for e in edges]
    with open(os.path.join(OUT, name + ".in"), "w") as f:
        f.write("".join(lines))
    with open(os.path.join(OUT, name + ".ans"), "w") as f:
        f.write("%d\n" % solve(n, edges))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    rng = random.Random(20240611)
    anyw = lambda: rng.randint(1, MAXW)

    write("01-single-village", 1, [])
    write("02-two-villages", 2, [(2, 1, MAXW)])
    write("03-three-villages-one-is-an-end", 3, [(3, 2, 7), (1, 2, 5)])

    # 1 in the middle of a path: the answer is the longer of the two sides
    n = 9
    order = [6, 3, 8, 1, 4, 9, 2, 7, 5]
    edges = [(order[i], order[i + 1], rng.randint(1, 20)) for i in range(n - 1)]
    rng.shuffle(edges)
    write("04-small-path-one-in-middle", n, edges)

    n = 5000
    write("05-star-center-one", n, [(1, i, anyw()) for i in range(2, n + 1)])

    n = 5000
    center = 2718
    edges = [(center, i, anyw()) for i in range(1, n + 1) if i != center]
    rng.shuffle(edges)
    write("06-star-one-is-a-leaf", n, edges)

    n = 20
    write("07-random-small", n, relabel(rng, n, random_parent_tree(rng, n, lambda: rng.randint(1, 50))))

    # path 1-2-...-n with the roads listed from the far end, heaviest lengths
    n = 8000
    edges = [(i, i + 1, MAXW) if i % 2 else (i + 1, i, MAXW) for i in range(n - 1, 0, -1)]
    write("08-path-listed-from-far-end", n, edges)

    n = 8000
    path = [(i, i + 1, anyw()) for i in range(1, n)]
    write("09-path-shuffled-labels", n, relabel(rng, n, path))

    # a caterpillar: a long spine, every spine village with a few legs
    n = 8000
    spine = 2000
    edges = [(i, i + 1, anyw()) for i in range(1, spine)]
    for i in range(spine + 1, n + 1):
        edges.append((rng.randint(1, spine), i, anyw()))
    write("10-caterpillar", n, relabel(rng, n, edges))

    n = 8000
    write("11-random-tree", n, relabel(rng, n, random_parent_tree(rng, n, anyw)))

    n = 8000
    write("12-deep-random-tree", n, relabel(rng, n, random_parent_tree(rng, n, anyw, window=3)))

    n = 8000
    edges = [(i // 2, i, anyw()) for i in range(2, n + 1)]
    write("13-binary-tree", n, relabel(rng, n, edges, keep_one=True))

    # maximum size: the path 1-2-...-n in order (short lengths keep the file small)
    n = MAXN
    write("14-max-path-in-order", n, [(i, i + 1, rng.randint(1, 9)) for i in range(1, n)])


main()
