import sys

LIMIT = 10 ** 6


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    k = int(data[1])
    # bug: a table indexed by thickness assumes books are at most 10^6 thick
    seen = [0] * (LIMIT + 1)
    pairs = 0
    for i in range(2, n + 2):
        x = int(data[i])
        need = k - x
        if 1 <= need <= LIMIT:
            pairs += seen[need]
        seen[x] += 1  # IndexError for a thicker book
    print(pairs)


main()
