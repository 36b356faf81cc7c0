import sys


def main():
    x = sys.stdin.readline().strip()
    while len(x) > 1:
        x = str(sum(int(c) for c in x))
    print(x)


main()
