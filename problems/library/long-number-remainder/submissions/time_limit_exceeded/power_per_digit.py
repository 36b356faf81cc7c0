import sys


def main():
    data = sys.stdin.buffer.read().split()
    s = data[0]
    m = int(data[1])
    n = len(s)
    r = 0
    for i in range(n):
        # correct, but computes the exact power of ten of every position: far too slow
        weight = 10 ** (n - 1 - i) % m
        r = (r + (s[i] - 48) * weight) % m
    print(r)


main()
