import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    w = [0] + [int(x) for x in data[1:n + 1]]
    edges = []
    pos = n + 1
    for _ in range(n - 1):
        edges.append((int(data[pos]), int(data[pos + 1])))
        pos += 2
    total = sum(w)
    best = None
    for cut in range(n - 1):
        # union all edges except the cut one
        root = list(range(n + 1))

        def find(x):
            while root[x] != x:
                x = root[x]
            return x

        for e, (u, v) in enumerate(edges):
            if e != cut:
                root[find(u)] = find(v)
        r = find(edges[cut][0])
        part = sum(w[x] for x in range(1, n + 1) if find(x) == r)
        diff = abs(total - 2 * part)
        if best is None or diff < best:
            best = diff
    print(best)


main()
