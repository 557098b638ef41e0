#!/usr/bin/env python3
"""Which direction to erase so that sex is gone without the groups being balanced exactly.

Simulates data shaped as `generate --preset seed-cns` (14 donors, 6 female; a 32-d latent
N(a z_d + b s_d u, I) with random unit donor directions z_d orthogonal to the sex direction u, as
SyntheticDataGenerator draws them, placed in 512 dimensions with noise 0.1, then standardised) and
compares erasing:
  - the true sex direction u (not knowable from data),
  - the in-sample direction g (female donors' mean minus male donors'; the first erasure),
  - g turned along the steepest descent of the unbiased squared gap until it removes the estimated
    total (UnbiasedSexGap.turn; the erasure until 2026-12-07, now only the fallback),
  - g turned by the same rule towards a random direction (a control),
  - the sex-only direction (this version's SexOnlyDirection): g with the within-sex deviations of
    the donor means projected out, leaned towards a noise direction no donor mean moves along until
    every female-male pair loses the estimated shared gap and no same-sex pair loses anything.
For each: a logistic probe's balanced accuracy on held-out donors (5 donor-grouped folds, as
SexLeakage), donor accuracy of a shrunk linear discriminant (21,000 training cells, as a seed-cns
training split), and the share of its errors that cross sexes.

Usage: python3 docs/analysis/sex-erasure-simulation.py [draws]   (numpy only; a few seconds per draw)
"""
import sys

import numpy as np

DONORS_F, DONORS_M, LATENT, WIDTH, CELLS = 6, 8, 32, 512, 1500
A, B = 2.0, 1.5
SEX = np.array([1] * DONORS_F + [0] * DONORS_M)
D = len(SEX)


def simulate(rng):
    u = rng.normal(size=LATENT)
    u /= np.linalg.norm(u)
    z = rng.normal(size=(D, LATENT))
    z -= np.outer(z @ u, u)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    embed, _ = np.linalg.qr(rng.normal(size=(WIDTH, LATENT)))
    means = A * z + B * np.where(SEX == 1, 1, -1)[:, None] * u

    def cells():
        h = np.repeat(means, CELLS, 0) + rng.normal(size=(D * CELLS, LATENT))
        return h @ embed.T + 0.1 * rng.normal(size=(D * CELLS, WIDTH)), np.repeat(np.arange(D), CELLS)

    (xtr, dtr), (xte, dte) = cells(), cells()
    mu, sd = xtr.mean(0), xtr.std(0)
    true_u = (embed @ u) / sd
    return (xtr - mu) / sd, dtr, (xte - mu) / sd, dte, true_u / np.linalg.norm(true_u)


def logistic(x, y, l2=1e-2, steps=200):
    m, s = x.mean(0), x.std(0) + 1e-9
    xs = (x - m) / s
    w, c = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xs @ w + c)))
        w -= 0.5 * (xs.T @ (p - y) / len(y) + l2 * w)
        c -= 0.5 * (p - y).mean()
    return lambda t: 1 / (1 + np.exp(-(((t - m) / s) @ w + c)))


def held_out_donor_probe(x, d):
    y = SEX[d]
    order = np.random.default_rng(1)
    females, males = list(np.where(SEX == 1)[0]), list(np.where(SEX == 0)[0])
    order.shuffle(females)
    order.shuffle(males)
    fold = {k: i % 5 for i, k in enumerate(females)} | {k: i % 5 for i, k in enumerate(males)}
    f = np.array([fold[k] for k in d])
    p = np.zeros(len(y))
    for k in range(5):
        p[f == k] = logistic(x[f != k], y[f != k])(x[f == k])
    hit = (p >= 0.5) == y
    return 0.5 * (hit[y == 1].mean() + hit[y == 0].mean())


def erase(x, v):
    return x if v is None else x - np.outer(x @ v, v)


def donor_accuracy(xtr, dtr, xte, dte):
    means = np.array([xtr[dtr == k].mean(0) for k in range(D)])
    r = xtr - means[dtr]
    within = r.T @ r / len(r)
    # Shrunk halfway to a multiple of the identity, as DiscriminantSubspace: unshrunk, a 512-d
    # discriminant fits noise and reads far under the Bayes rate.
    inv = np.linalg.inv(0.5 * within + 0.5 * np.trace(within) / len(within) * np.eye(len(within)))
    score = xte @ inv @ means.T - 0.5 * np.einsum("kw,wv,kv->k", means, inv, means)
    pred = score.argmax(1)
    wrong = pred != dte
    return (pred == dte).mean(), (SEX[pred[wrong]] != SEX[dte[wrong]]).mean()


def unbiased_gap_matrix(means):
    nf, nm = DONORS_F, DONORS_M
    k = np.where(SEX[:, None] == SEX[None, :], np.where(SEX[:, None] == 1, 1 / (nf * (nf - 1)), 1 / (nm * (nm - 1))), -1 / (nf * nm))
    np.fill_diagonal(k, 0)
    return means.T @ k @ means


def turn(g, s, towards):
    t = towards - (towards @ g) * g
    t /= np.linalg.norm(t)
    a, b, c, total = g @ s @ g, t @ s @ t, g @ s @ t, np.trace(s)
    for th in np.linspace(0, np.pi / 2, 100001):
        if np.cos(th) ** 2 * a + np.sin(th) ** 2 * b + 2 * np.sin(th) * np.cos(th) * c <= total:
            return np.cos(th) * g + np.sin(th) * t
    return g


def sex_only(xtr, dtr, means, g_raw, s):
    """SexOnlyDirection.find: c = g off the within-sex deviations, leaned towards uncorrelated noise."""
    deviation = means - np.where(SEX[:, None] == 1, means[SEX == 1].mean(0), means[SEX == 0].mean(0))
    within = np.linalg.svd(deviation, full_matrices=False)[2][: D - 2]
    c = g_raw - within.T @ (within @ g_raw)
    c2, shared = c @ c, np.trace(s)
    c /= np.sqrt(c2)
    r = xtr - means[dtr]
    noise = lambda v: r.T @ (r @ v) / len(r)
    sc = noise(c)
    span = np.linalg.svd(np.vstack([means - means.mean(0), sc]), full_matrices=False)[2][: D]
    v = np.random.default_rng(0).normal(size=len(c))
    for _ in range(12):
        v -= span.T @ (span @ v)
        v = noise(v / np.linalg.norm(v))
    v -= span.T @ (span @ v)
    v /= np.linalg.norm(v)
    keep = (c2 - shared) / c2
    phi = np.arctan(np.sqrt(keep * (v @ noise(v)) / ((1 - keep) * (c @ sc))))
    return np.cos(phi) * c + np.sin(phi) * v


def main(draws):
    for draw in range(draws):
        rng = np.random.default_rng(draw)
        xtr, dtr, xte, dte, true_u = simulate(rng)
        means = np.array([xtr[dtr == k].mean(0) for k in range(D)])
        g_raw = means[SEX == 1].mean(0) - means[SEX == 0].mean(0)
        g = g_raw / np.linalg.norm(g_raw)
        s = unbiased_gap_matrix(means)
        descent = -(s @ g - (g @ s @ g) * g)
        rows = [("none", None), ("true sex direction", true_u), ("in-sample g", g),
                ("g turned", turn(g, s, descent)), ("g turned to random", turn(g, s, rng.normal(size=len(g)))),
                ("sex-only direction", sex_only(xtr, dtr, means, g_raw, s))]
        for name, v in rows:
            acc, cross = donor_accuracy(erase(xtr, v), dtr, erase(xte, v), dte)
            probe = held_out_donor_probe(erase(xte, v), dte)
            print(f"draw {draw} {name:20s} probe_held_out={probe:.2f} donor_accuracy={acc:.3f} cross_sex={cross:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
