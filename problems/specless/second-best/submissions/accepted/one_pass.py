import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    best = None
    second = None
    for x in map(int, data[1:n + 1]):
        if best is None or x > best:
            second = best
            best = x
        elif x < best and (second is None or x > second):
            second = x
    sys.stdout.write("NONE\n" if second is None else "%d\n" % second)


main()
