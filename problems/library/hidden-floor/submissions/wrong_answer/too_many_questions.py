# Walks up floor by floor: right answers, but past the limit of 30 questions on tall towers.
n = int(input())
for k in range(1, n + 1):
    print(f"? {k}", flush=True)
    if input() == "=":
        print(f"! {k}", flush=True)
        break
