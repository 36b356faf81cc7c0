import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    t = [int(x) for x in data[1:n + 1]]
    # correct, but compares every pair of readings: O(n^2)
    best = 0
    for i in range(n):
        a = t[i]
        for j in range(i + 1, n):
            d = a - t[j]
            if d < 0:
                d = -d
            if d > best:
                best = d
    print(best)


main()
