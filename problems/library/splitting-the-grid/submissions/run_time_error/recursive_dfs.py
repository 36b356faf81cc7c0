import sys

sys.setrecursionlimit(10000)


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
    total = sum(w)
    best = [total]

    def dfs(u, p):
        s = w[u]
        for v in adj[u]:
            if v != p:
                s += dfs(v, u)
        if p:
            best[0] = min(best[0], abs(total - 2 * s))
        return s

    dfs(1, 0)
    print(best[0])


main()
