import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    for mask in range(1, 1 << n):
        chosen = [i for i in range(n) if mask >> i & 1]
        if sum(a[i] for i in chosen) % n == 0:
            print(len(chosen))
            print(" ".join(str(i + 1) for i in chosen))
            return
    print(-1)


main()
