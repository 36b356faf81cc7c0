import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    h = [int(x) for x in data[1:n + 1]]
    best = 0
    # moves i -> i+1 for i = l .. r-1 are all climbs: a streak of r - l climbs
    for l in range(n):
        for r in range(l + 1, n):
            if all(h[i + 1] > h[i] for i in range(l, r)):
                best = max(best, r - l)
    print(best)


main()
