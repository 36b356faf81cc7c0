import sys


def main():
    data = sys.stdin.read().split()
    s = data[0]
    m = int(data[1])
    # build the whole number exactly, digit by digit, then divide once
    value = 0
    for c in s:
        value = value * 10 + int(c)
    print(value % m)


main()
