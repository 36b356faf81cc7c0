import sys


def main():
    s = sys.stdin.readline().strip()
    m = int(sys.stdin.readline())
    # CPython refuses to convert strings of more than 4300 digits (ValueError)
    print(int(s) % m)


main()
