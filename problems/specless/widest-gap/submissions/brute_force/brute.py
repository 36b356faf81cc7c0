import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    best = 0
    # two stations at x < y are neighbours when no station stands strictly between them
    for i in range(n):
        for j in range(n):
            if a[i] < a[j] and not any(a[i] < a[k] < a[j] for k in range(n)):
                best = max(best, a[j] - a[i])
    print(best)


main()
