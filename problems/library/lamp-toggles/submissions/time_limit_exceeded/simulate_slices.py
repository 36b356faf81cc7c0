import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    q = int(data[1])
    lamp = [0] * n
    for i in range(q):
        l = int(data[2 + 2 * i]) - 1
        r = int(data[3 + 2 * i])
        # correct, but touches every lamp of every operation: O(n * q)
        lamp[l:r] = [1 - x for x in lamp[l:r]]
    print(sum(lamp))


main()
