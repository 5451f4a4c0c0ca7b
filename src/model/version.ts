// Kernel versions that select the core notifier semantics (DESIGN §3.2, kernel-notes §1.1).

export const VERSIONS = ['v4.12', 'v4.13', 'v4.15', 'v5.5', 'v5.12', 'v6.6', 'v6.10'] as const;
export type KernelVersion = (typeof VERSIONS)[number];

/** The version used when a test has no `config { kernel = …; }`. */
export const DEFAULT_VERSION: KernelVersion = 'v6.10';

export function isVersion(s: string): s is KernelVersion {
  return (VERSIONS as readonly string[]).includes(s);
}

export function versionIndex(v: KernelVersion): number {
  return VERSIONS.indexOf(v);
}

/** `a` is `b` or newer. */
export function atLeast(a: KernelVersion, b: KernelVersion): boolean {
  return versionIndex(a) >= versionIndex(b);
}

/** Ordering of variant names that look like versions (`v4.13` < `v4.15` < `v6.6`). */
export function compareVersionNames(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function looksLikeVersion(s: string): boolean {
  return /^v\d+(\.\d+)*$/.test(s);
}
