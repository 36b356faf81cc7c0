import sys
from collections import Counter


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    k = int(data[1])
    count = Counter(int(x) for x in data[2:n + 2])
    ordered = 0
    for x, c in count.items():
        ordered += c * count.get(k - x, 0)
    # bug: when 2x = k this also counts each book paired with itself
    print(ordered // 2)


main()
