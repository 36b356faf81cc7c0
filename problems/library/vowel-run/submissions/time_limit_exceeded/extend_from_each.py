import sys


def main():
    s = sys.stdin.buffer.read().split()[0].decode()
    n = len(s)
    best = 0
    for i in range(n):
        # correct, but walks the whole block again from every start: O(n^2) on long blocks
        j = i
        while j < n and s[j] in "aeiou":
            j += 1
        best = max(best, j - i)
    print(best)


main()
