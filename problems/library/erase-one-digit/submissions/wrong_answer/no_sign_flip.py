import sys


def main():
    s = sys.stdin.buffer.read().split()[0]
    n = len(s)
    total = 0
    for j in range(n):
        if (n - 1 - j) % 2 == 0:
            total += s[j] - 48
        else:
            total -= s[j] - 48
    count = 0
    for i in range(n):
        here = s[i] - 48 if (n - 1 - i) % 2 == 0 else 48 - s[i]
        # bug: assumes the other digits keep their weights after the erasure
        if (total - here) % 11 == 0:
            count += 1
    print(count)


main()
