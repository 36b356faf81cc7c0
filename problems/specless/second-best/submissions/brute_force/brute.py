import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    answer = "NONE"
    # the silver score is the value with exactly one distinct value above it
    for x in a:
        above = set(y for y in a if y > x)
        if len(above) == 1:
            answer = str(x)
    print(answer)


main()
