import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    q = int(data[1])
    lamp = [False] * (n + 1)
    for i in range(q):
        l = int(data[2 + 2 * i])
        r = int(data[3 + 2 * i])
        for j in range(l, r + 1):
            lamp[j] = not lamp[j]
    print(sum(lamp))


main()
