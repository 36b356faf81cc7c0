import sys


def main():
    s = sys.stdin.read().split()[0]
    n = len(s)
    best = 0
    for i in range(n):
        for j in range(i, n):
            if all(c in "aeiou" for c in s[i:j + 1]):
                best = max(best, j - i + 1)
    print(best)


main()
