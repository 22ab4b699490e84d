import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './testing/spawnRelay';

/** Issue 9: the relay is deployable on its own, and the desktop app does not carry its server packages. */
const manifest = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

function runtimeImports(dir: string, out = new Set<string>()): Set<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'testing') runtimeImports(p, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('storeContract.ts')) {
      for (const m of readFileSync(p, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)'/gm)) out.add(m[1]!.startsWith('@') ? m[1]!.split('/').slice(0, 2).join('/') : m[1]!.split('/')[0]!);
    }
  }
  return out;
}

describe('relay packaging', () => {
  const root = manifest('package.json');
  const relay = manifest('src/relay/package.json');

  it("the desktop app's dependencies carry neither fastify nor pg (they are root devDependencies for the tests only)", () => {
    expect(Object.keys(root.dependencies ?? {})).not.toContain('fastify');
    expect(Object.keys(root.dependencies ?? {})).not.toContain('pg');
    expect(root.devDependencies).toMatchObject({ fastify: relay.dependencies!.fastify, pg: relay.dependencies!.pg });
  });

  it("the relay's own manifest lists every package its runtime code imports, at the versions the tests run", () => {
    const imports = [...runtimeImports(join(REPO_ROOT, 'src/relay'))].filter((m) => !m.startsWith('node:') && !builtinModules.includes(m));
    expect(imports.length).toBeGreaterThan(3);
    for (const m of imports) {
      expect([m, relay.dependencies?.[m]]).toEqual([m, root.dependencies?.[m] ?? root.devDependencies?.[m]]);
    }
  });
});
