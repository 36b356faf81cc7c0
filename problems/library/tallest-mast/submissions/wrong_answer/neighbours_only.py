# Stops at the first mast taller than its right neighbour: a local maximum only.
n = int(input())
best = n
for i in range(1, n):
    print("?", i, i + 1, flush=True)
    if input() == ">":
        best = i
        break
print("!", best, flush=True)
