import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    m = int(data[1])
    w = m + 2
    # padded grid: a frame of walls around the plan, flattened row by row
    # dist: -2 wall, -1 unvisited free cell, >= 0 distance to the nearest cafe
    dist = [-2] * (w * (n + 2))
    queue = []
    for i in range(n):
        row = data[2 + i]
        base = (i + 1) * w + 1
        for j in range(m):
            c = row[j]
            if c == 46:  # '.'
                dist[base + j] = -1
            elif c == 67:  # 'C'
                dist[base + j] = 0
                queue.append(base + j)
    head = 0
    while head < len(queue):
        u = queue[head]
        head += 1
        du = dist[u] + 1
        for v in (u - 1, u + 1, u - w, u + w):
            if dist[v] == -1:
                dist[v] = du
                queue.append(v)
    print(dist[queue[-1]])


main()
