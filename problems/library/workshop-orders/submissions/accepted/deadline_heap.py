import sys
from heapq import heappop, heappush


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    vals = list(map(int, data[1:1 + 2 * n]))
    orders = sorted(zip(vals[0::2], vals[1::2]))
    # keep the most profitable orders that still fit; the heap holds the accepted payments
    heap = []
    for d, p in orders:
        heappush(heap, p)
        if len(heap) > d:
            heappop(heap)
    print(sum(heap))


main()
