import sys


def main():
    data = sys.stdin.buffer.read().split()
    s = data[0]
    m = int(data[1])
    r = 0
    for start in range(0, len(s), 9):
        chunk = int(s[start:start + 9])
        # bug: shifts by nine digits even when the last chunk is shorter
        r = (r * 1000000000 + chunk) % m
    print(r)


main()
