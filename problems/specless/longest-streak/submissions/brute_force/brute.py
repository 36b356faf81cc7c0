import sys


def main():
    s = sys.stdin.read().split()[0]
    n = len(s)
    best = None
    # try every block s[i..j]; stop growing it at the first letter that differs
    for i in range(n):
        for j in range(i, n):
            if s[j] != s[i]:
                break
            key = (-(j - i + 1), s[i])  # longer first, then smaller letter
            if best is None or key < best:
                best = key
    print(-best[0], best[1])


main()
