# Reference values for CoSENTLoss and AnglELoss, computed in float64 NumPy from sentence-transformers'
# formulas (CoSENTLoss.compute_loss_from_embeddings, util.pairwise_cos_sim, util.pairwise_angle_sim),
# written here independently of twinembed: no torch on these machines, so this stands in for it.
# The gradient w.r.t. the embeddings is derived by hand and checked below against central differences.
# Writes test/fixtures/cosent-angle-reference.json; test/losses-cosent-angle.test.ts reads it.
# Usage: python3 scripts/loss-reference-cosent.py   (numpy; reads ../shared/fixtures/bert-tiny-a beside the repo)
import json, os, struct
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
FIXTURE = os.path.join(ROOT, '..', 'shared', 'fixtures', 'bert-tiny-a')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'cosent-angle-reference.json')


def cos_sim(x, y):
    """util.pairwise_cos_sim: rows normalized by max(‖·‖, 1e-12) (F.normalize), then dotted."""
    nx = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    ny = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    return (nx * ny).sum(1)


def pad_even(x):
    """util.pairwise_angle_sim pads an odd embedding size with one zero column."""
    return np.pad(x, ((0, 0), (0, x.shape[1] % 2)))


def angle_sim(x, y):
    """util.pairwise_angle_sim, step by step as sentence-transformers writes it."""
    x, y = pad_even(x), pad_even(y)
    a, b = np.split(x, 2, axis=1)
    c, d = np.split(y, 2, axis=1)
    z = (c**2 + d**2).sum(1, keepdims=True)
    re = (a * c + b * d) / z
    im = (b * c - a * d) / z
    dz = (a**2 + b**2).sum(1, keepdims=True) ** 0.5
    dw = (c**2 + d**2).sum(1, keepdims=True) ** 0.5
    re = re / (dz / dw)
    im = im / (dz / dw)
    return np.abs(np.concatenate([re, im], axis=1).sum(1))


def cosent_terms(sim, labels, scale):
    """[0, (sᵢ − sⱼ) − (1 − [yᵢ < yⱼ])·1e12 …] and its logsumexp: the loss."""
    s = sim * scale
    terms = s[:, None] - s[None, :] - (1 - (labels[:, None] < labels[None, :])) * 1e12
    flat = np.concatenate([[0.0], terms.ravel()])
    top = flat.max()
    return flat, top + np.log(np.exp(flat - top).sum())


def loss(kind, x, y, labels, scale):
    return cosent_terms((angle_sim if kind == 'angle' else cos_sim)(x, y), labels, scale)[1]


def grad_sim(kind, x, y):
    """d sim_k / d x_k and d y_k, by hand. Both similarities are ratios of norms and dot products."""
    if kind == 'cosine':
        nx, ny = np.linalg.norm(x, axis=1, keepdims=True), np.linalg.norm(y, axis=1, keepdims=True)
        ux, uy = x / nx, y / ny
        c = (ux * uy).sum(1, keepdims=True)
        return (uy - c * ux) / nx, (ux - c * uy) / ny
    # with a zero column for odd sizes: g = Σ(ac + bd + bc − ad) / (‖x‖·‖y‖), sim = |g|
    D = x.shape[1]
    xp, yp = pad_even(x), pad_even(y)
    a, b = np.split(xp, 2, axis=1)
    c, d = np.split(yp, 2, axis=1)
    nx, ny = np.linalg.norm(xp, axis=1, keepdims=True), np.linalg.norm(yp, axis=1, keepdims=True)
    g = ((a * c + b * d + b * c - a * d).sum(1, keepdims=True)) / (nx * ny)
    dx = np.concatenate([c - d, c + d], axis=1) / (nx * ny) - g * xp / nx**2
    dy = np.concatenate([a + b, b - a], axis=1) / (nx * ny) - g * yp / ny**2
    return (np.sign(g) * dx)[:, :D], (np.sign(g) * dy)[:, :D]


def grad(kind, x, y, labels, scale):
    """dL/dx, dL/dy: p = softmax of the terms; dL/dsₖ = Σⱼ p_kj − Σᵢ p_ik; chain through scale and sim."""
    sim = angle_sim(x, y) if kind == 'angle' else cos_sim(x, y)
    flat, value = cosent_terms(sim, labels, scale)
    p = np.exp(flat[1:] - value).reshape(len(sim), len(sim))
    ds = (p.sum(1) - p.sum(0)) * scale
    gx, gy = grad_sim(kind, x, y)
    return ds[:, None] * gx, ds[:, None] * gy


def numeric_grad(kind, x, y, labels, scale, h=1e-6):
    out = []
    for v in (x, y):
        g = np.zeros_like(v)
        for idx in np.ndindex(v.shape):
            old = v[idx]
            v[idx] = old + h
            up = loss(kind, x, y, labels, scale)
            v[idx] = old - h
            down = loss(kind, x, y, labels, scale)
            v[idx] = old
            g[idx] = (up - down) / (2 * h)
        out.append(g)
    return out


def f32(a):
    """Values exactly representable in float32, so both sides start from the same numbers."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def synthetic_cases():
    rng = np.random.default_rng(20240613)
    x8, y8 = f32(rng.uniform(-1, 1, (6, 8))), f32(rng.uniform(-1, 1, (6, 8)))
    x7, y7 = f32(rng.uniform(-1, 1, (5, 7))), f32(rng.uniform(-1, 1, (5, 7)))
    distinct = f32([0.9, 0.1, 0.45, 0.7, 0.3, 0.05])
    ties = f32([0.2, 0.5, 0.5, 1.0, 0.2, 0.8])
    # labels in the same order as the similarities: every kept term is < 0, the leading 0 is the largest
    ordered = f32(np.argsort(np.argsort(cos_sim(x8, y8))) / 5)
    return [
        ('CoSENT, distinct labels', 'cosine', x8, y8, distinct, 20),
        ('CoSENT, tied labels', 'cosine', x8, y8, ties, 20),
        ('CoSENT, scale 5', 'cosine', x8, y8, ties, 5),
        ('CoSENT, labels ordered as the similarities (leading 0 largest)', 'cosine', x8, y8, ordered, 20),
        ('CoSENT, all labels equal (only the leading 0)', 'cosine', x8, y8, f32([0.5] * 6), 20),
        ('AnglE, distinct labels', 'angle', x8, y8, distinct, 20),
        ('AnglE, tied labels', 'angle', x8, y8, ties, 20),
        ('AnglE, scale 5', 'angle', x8, y8, ties, 5),
        ('AnglE, odd size 7 (zero column)', 'angle', x7, y7, f32([0.3, 0.3, 0.9, 0.0, 0.6]), 20),
    ]


def safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for k, e in header.items():
        if k == '__metadata__':
            continue
        s, t = e['data_offsets']
        out[k] = np.frombuffer(raw[8 + n + s:8 + n + t], dtype=np.float32).reshape(e['shape']).astype(np.float64)
    return out


def fixture_cases():
    """bert-tiny-a's pairs with PyTorch's own mean-pooled embeddings (normalized: both losses ignore row norms)."""
    sentences = json.load(open(os.path.join(FIXTURE, 'sentences.json')))['sentences']
    pairs = json.load(open(os.path.join(FIXTURE, 'batches.json')))['pairs']
    e = safetensors(os.path.join(FIXTURE, 'embeddings.safetensors'))['embeddings_mean_normalized']
    a = e[[sentences.index(t) for t in pairs['a']]]
    b = e[[sentences.index(t) for t in pairs['b']]]
    scores = f32(pairs['score'])
    return {name: loss(kind, a, b, scores, 20) for name, kind in (('CoSENTLoss', 'cosine'), ('AnglELoss', 'angle'))}


def main():
    cases = []
    worst = 0.0
    for name, kind, x, y, labels, scale in synthetic_cases():
        gx, gy = grad(kind, x, y, labels, scale)
        nx, ny = numeric_grad(kind, x.copy(), y.copy(), labels, scale)
        top = max(np.abs(nx).max(), np.abs(ny).max(), 1e-12)
        err = max(np.abs(gx - nx).max(), np.abs(gy - ny).max()) / top
        worst = max(worst, err)
        cases.append({
            'name': name, 'similarity': kind, 'scale': scale, 'x': x.tolist(), 'y': y.tolist(), 'labels': labels.tolist(),
            'loss': loss(kind, x, y, labels, scale), 'gradX': gx.tolist(), 'gradY': gy.tolist(),
        })
        print(f'{name:70s} loss {cases[-1]["loss"]:.10g}  analytic vs central differences {err:.1e}')
    assert worst < 1e-7, f'hand-derived gradient disagrees with finite differences: {worst}'
    out = {'note': 'made by scripts/loss-reference-cosent.py (float64 NumPy, sentence-transformers formulas)', 'cases': cases}
    if os.path.isdir(FIXTURE):
        out['bertTinyA'] = fixture_cases()
        print('bert-tiny-a pairs, PyTorch embeddings:', out['bertTinyA'])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:  # one case a line
        f.write('{"note": %s,\n"cases": [\n%s\n],\n"bertTinyA": %s}\n' % (
            json.dumps(out['note']), ',\n'.join(json.dumps(c) for c in cases), json.dumps(out.get('bertTinyA'))))


main()
