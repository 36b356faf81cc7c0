n = int(input())
best = 1
for i in range(2, n + 1):
    print("?", best, i, flush=True)
    if input() == "<":
        best = i
print("!", best, flush=True)
