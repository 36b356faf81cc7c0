import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    t = [int(x) for x in data[1:n + 1]]
    best = 0
    for i in range(n):
        for j in range(n):
            best = max(best, t[i] - t[j])
    print(best)


main()
