import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    best = 0
    for i in range(n):
        # correct, but scans every other station for the nearest one to the right: O(n^2)
        nearest = -1
        for j in range(n):
            if a[j] > a[i] and (nearest < 0 or a[j] < nearest):
                nearest = a[j]
        if nearest >= 0 and nearest - a[i] > best:
            best = nearest - a[i]
    print(best)


main()
