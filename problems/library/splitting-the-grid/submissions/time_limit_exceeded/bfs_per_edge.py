import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    w = [0] + [int(x) for x in data[1:n + 1]]
    adj = [[] for _ in range(n + 1)]
    edges = []
    pos = n + 1
    for _ in range(n - 1):
        u = int(data[pos])
        v = int(data[pos + 1])
        pos += 2
        adj[u].append(v)
        adj[v].append(u)
        edges.append((u, v))
    total = sum(w)
    best = None
    for u, v in edges:
        # sum of the side of u when edge (u, v) is removed: O(n) per edge
        seen = [False] * (n + 1)
        seen[u] = True
        seen[v] = True
        stack = [u]
        part = 0
        while stack:
            x = stack.pop()
            part += w[x]
            for y in adj[x]:
                if not seen[y]:
                    seen[y] = True
                    stack.append(y)
        diff = abs(total - 2 * part)
        if best is None or diff < best:
            best = diff
    print(best)


main()
