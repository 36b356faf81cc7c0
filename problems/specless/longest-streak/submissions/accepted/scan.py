import sys


def main():
    s = sys.stdin.buffer.read().split()[0]
    best_len = 0
    best_c = 0
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        j = i + 1
        while j < n and s[j] == c:
            j += 1
        run = j - i
        if run > best_len or (run == best_len and c < best_c):
            best_len = run
            best_c = c
        i = j
    sys.stdout.write("%d %s\n" % (best_len, chr(best_c)))


main()
