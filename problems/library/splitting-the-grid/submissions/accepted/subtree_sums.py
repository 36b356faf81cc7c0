import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    w = [0] + [int(x) for x in data[1:n + 1]]
    adj = [[] for _ in range(n + 1)]
    pos = n + 1
    for _ in range(n - 1):
        u = int(data[pos])
        v = int(data[pos + 1])
        pos += 2
        adj[u].append(v)
        adj[v].append(u)
    parent = [0] * (n + 1)
    parent[1] = -1
    order = [1]
    for u in order:  # BFS; the list grows while we iterate
        for v in adj[u]:
            if v != parent[u]:
                parent[v] = u
                order.append(v)
    sub = w[:]
    for u in reversed(order):
        p = parent[u]
        if p > 0:
            sub[p] += sub[u]
    total = sub[1]
    best = min(abs(total - 2 * sub[v]) for v in order[1:])
    print(best)


main()
