import sys


def main():
    vals = list(map(int, sys.stdin.buffer.read().split()))
    n = vals[0]
    sub = [0] + vals[1:n + 1]
    total = sum(sub)
    deg = [0] * (n + 1)
    nb = [0] * (n + 1)  # xor of all neighbours still attached
    ends = vals[n + 1:n + 1 + 2 * (n - 1)]
    for u, v in zip(ends[0::2], ends[1::2]):
        deg[u] += 1
        deg[v] += 1
        nb[u] ^= v
        nb[v] ^= u
    # peel leaves one by one; when a leaf u is removed, the edge to its only
    # neighbour p separates exactly the substations already merged into u
    stack = [v for v in range(1, n + 1) if deg[v] == 1]
    best = total
    cut = 0
    while cut < n - 1:
        u = stack.pop()
        p = nb[u]
        s = sub[u]
        d = total - 2 * s
        if d < 0:
            d = -d
        if d < best:
            best = d
        sub[p] += s
        nb[p] ^= u
        deg[p] -= 1
        if deg[p] == 1:
            stack.append(p)
        cut += 1
    print(best)


main()
