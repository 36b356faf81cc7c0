import sys


def main():
    s = sys.stdin.buffer.read().split()[0]
    n = len(s)
    # 10 = -1 (mod 11): digit j (0-based from the left) has weight (-1)^(n-1-j)
    d = [c - 48 for c in s]
    sign = [1 if (n - 1 - j) % 2 == 0 else -1 for j in range(n)]
    total = 0
    for j in range(n):
        total += sign[j] * d[j]
    left = 0  # weighted sum of digits before position i
    count = 0
    for i in range(n):
        here = sign[i] * d[i]
        right = total - left - here
        # after erasing digit i, the digits before it move one place to the right:
        # their weights flip sign, the digits after it keep theirs
        if (right - left) % 11 == 0:
            count += 1
        left += here
    print(count)


main()
