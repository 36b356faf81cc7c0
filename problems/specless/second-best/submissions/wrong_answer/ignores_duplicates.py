import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = sorted(map(int, data[1:n + 1]), reverse=True)
    if n < 2:
        print("NONE")
    else:
        print(a[1])  # bug: second largest of the multiset; a repeated maximum is printed again


main()
