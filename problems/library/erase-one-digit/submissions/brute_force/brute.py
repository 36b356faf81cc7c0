import sys


def main():
    s = sys.stdin.read().split()[0]
    count = 0
    for i in range(len(s)):
        if int(s[:i] + s[i + 1:]) % 11 == 0:
            count += 1
    print(count)


main()
