import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, a, b = int(data[0]), int(data[1]), int(data[2]), int(data[3])
    full, rest = divmod(n, m)
    # The cost of k bundles plus singles for the rest is convex in k: the best k is
    # 0 (singles only), n // m (singles for the remainder) or n // m + 1 (one bundle
    # more, partly unused).
    only_singles = n * a
    with_rest_singles = full * b + rest * a
    one_more_bundle = (full + 1) * b
    best = only_singles
    if with_rest_singles < best:
        best = with_rest_singles
    if one_more_bundle < best:
        best = one_more_bundle
    sys.stdout.write("%d\n" % best)


main()
