n = int(input())
seen = [0] * n
best = 1
for i in range(2, n + 2):  # one berth too many
    seen[i - 1] = 1
    print("?", best, i, flush=True)
    if input() == "<":
        best = i
print("!", best, flush=True)
