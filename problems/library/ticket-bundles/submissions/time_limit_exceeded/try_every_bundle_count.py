import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, a, b = int(data[0]), int(data[1]), int(data[2]), int(data[3])
    # correct, but tries every number of bundles: about n / m iterations
    best = n * a
    k = 1
    while True:
        left = n - k * m
        if left < 0:
            left = 0
        cost = k * b + left * a
        if cost < best:
            best = cost
        if left == 0:
            break
        k += 1
    print(best)


main()
