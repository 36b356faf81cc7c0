import sys


def main():
    s = sys.stdin.buffer.read().split()[0]
    n = len(s)
    count = 0
    for i in range(n):
        # alternating sum of the number without digit i, computed from scratch: O(n^2)
        rem = 0
        for j in range(n):
            if j != i:
                rem = (rem * 10 + s[j] - 48) % 11
        if rem == 0:
            count += 1
    print(count)


main()
