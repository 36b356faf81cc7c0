import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    d = [int(data[1 + 2 * i]) for i in range(n)]
    p = [int(data[2 + 2 * i]) for i in range(n)]
    best = 0
    for mask in range(1 << n):
        chosen = sorted(d[i] for i in range(n) if mask >> i & 1)
        # doing them in deadline order is optimal: the j-th one finishes on day j
        if all(chosen[j] >= j + 1 for j in range(len(chosen))):
            best = max(best, sum(p[i] for i in range(n) if mask >> i & 1))
    print(best)


main()
