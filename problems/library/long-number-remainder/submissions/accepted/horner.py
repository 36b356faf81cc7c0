import sys


def main():
    data = sys.stdin.buffer.read().split()
    s = data[0]
    m = int(data[1])
    # Horner's rule: read the digits from the left and keep only the remainder,
    # so the numbers involved never exceed 10 * m.
    r = 0
    for c in s:
        r = (r * 10 + (c - 48)) % m
    sys.stdout.write("%d\n" % r)


main()
