import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    k = int(data[1])
    a = [int(x) for x in data[2:n + 2]]
    # correct, but tries every pair: O(n^2)
    pairs = 0
    for i in range(n):
        need = k - a[i]
        for j in range(i + 1, n):
            if a[j] == need:
                pairs += 1
    print(pairs)


main()
