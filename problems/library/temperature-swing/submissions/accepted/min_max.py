import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    t = [int(x) for x in data[1:n + 1]]
    sys.stdout.write("%d\n" % (max(t) - min(t)))


main()
