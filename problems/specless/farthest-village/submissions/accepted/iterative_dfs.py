import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    adj = [[] for _ in range(n + 1)]
    for i in range(n - 1):
        u = int(data[1 + 3 * i])
        v = int(data[2 + 3 * i])
        w = int(data[3 + 3 * i])
        adj[u].append((v, w))
        adj[v].append((u, w))
    dist = [-1] * (n + 1)
    dist[1] = 0
    stack = [1]
    while stack:
        x = stack.pop()
        d = dist[x]
        for y, w in adj[x]:
            if dist[y] < 0:
                dist[y] = d + w
                stack.append(y)
    sys.stdout.write("%d\n" % max(dist))


main()
