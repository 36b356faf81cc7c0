import sys


def main():
    s = sys.stdin.buffer.read().split()[0].decode()
    n = len(s)
    best_len = 0
    best_c = ""
    for i in range(n):
        # correct, but walks the whole block again from every start: O(n^2) on long blocks
        j = i
        while j < n and s[j] == s[i]:
            j += 1
        if j - i > best_len or (j - i == best_len and s[i] < best_c):
            best_len = j - i
            best_c = s[i]
    print(best_len, best_c)


main()
