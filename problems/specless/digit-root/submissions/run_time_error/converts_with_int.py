import sys


def main():
    x = int(sys.stdin.readline())  # bug: ValueError, int() refuses more than 4300 digits
    while x >= 10:
        total = 0
        while x > 0:
            total += x % 10
            x //= 10
        x = total
    print(x)


main()
