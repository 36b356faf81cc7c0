import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    h = [int(x) for x in data[1:n + 1]]
    # correct, but walks forward from every step again: O(n^2) on a rising path
    best = 0
    for start in range(n):
        j = start
        while j + 1 < n and h[j + 1] > h[j]:
            j += 1
        if j - start > best:
            best = j - start
    print(best)


main()
