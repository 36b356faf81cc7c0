import sys
from itertools import combinations


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    k = int(data[1])
    a = [int(x) for x in data[2:n + 2]]
    print(sum(1 for x, y in combinations(a, 2) if x + y == k))


main()
