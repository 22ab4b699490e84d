// Keydesk's import boundaries (DESIGN §1): one rule that resolves every import to a path in the
// repository (relative ones too, so `../electron/x` is caught) or a package name, and checks it
// against the map's "never" rules. Plain JS so ESLint loads it without a build step; it is
// exercised by test/unit/lintBoundaries.test.ts.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** 'src/main/**' → /^src\/main\/.*$/ ; '**' crosses folders, '*' does not. */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const matcher = (globs) => {
  const res = globs.map(globToRegExp);
  return (path) => res.some((r) => r.test(path));
};

const repoPath = (abs) => relative(ROOT, abs).split(sep).join('/');

/** What an import names: a file in the repository (extension dropped) or a package. */
function targetOf(spec, fromFile) {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    return { file: repoPath(resolve(dirname(fromFile), spec)).replace(/\.(tsx?|jsx?|mjs|cjs)$/, '') };
  }
  if (spec.startsWith('node:')) return { pkg: spec };
  const parts = spec.split('/');
  return { pkg: spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

const under = (path, dir) => path === dir || path.startsWith(`${dir}/`);

/** The capability a path belongs to (src/main/services/<name>/…), and whether it is that capability's index. */
function capabilityOf(path) {
  const m = /^src\/main\/services\/([^/]+)\/(.+)$/.exec(path);
  return m ? { name: m[1], isIndex: m[2] === 'index' || m[2] === 'index.ts' } : null;
}

function checks(options) {
  const stripeAllowed = matcher(options.stripeAllowed ?? []);
  const sqliteAllowed = matcher(options.sqliteAllowed ?? []);
  return [
    (from, t) =>
      (t.pkg === 'electron' || t.pkg?.startsWith('electron/')) && !under(from, 'src/main/electron') && !under(from, 'src/preload')
        ? 'Only src/main/electron and src/preload may import electron.'
        : null,
    (from, t) =>
      t.file && (under(t.file, 'src/main/electron') || under(t.file, 'src/preload')) && under(from, 'src/main') && !under(from, 'src/main/electron')
        ? 'Main runs under plain Node outside the Electron edge: it never imports src/main/electron or src/preload.'
        : null,
    (from, t) => {
      if (!under(from, 'src/renderer')) return null;
      const bad = t.file
        ? !under(t.file, 'src/renderer') && !under(t.file, 'src/shared')
        : ['electron', 'better-sqlite3', 'stripe', 'fastify', 'pg'].includes(t.pkg) || t.pkg.startsWith('node:');
      return bad ? 'The renderer may import only src/shared and browser packages; call main through the contract.' : null;
    },
    (from, t) => {
      if (!under(from, 'src/shared')) return null;
      const isTest = from.endsWith('.test.ts');
      const bad = t.file ? !under(t.file, 'src/shared') : t.pkg !== 'zod' && !(isTest && (t.pkg === 'vitest' || t.pkg === 'fast-check'));
      return bad ? 'src/shared imports zod only (and other src/shared files): every process loads it.' : null;
    },
    (from, t) =>
      t.file && under(from, 'src/relay') && under(t.file, 'src/main')
        ? 'The relay deploys on its own: it may import src/shared, never src/main.'
        : null,
    (from, t) =>
      t.file && under(from, 'src/main/stripe') && under(t.file, 'src/main/services')
        ? 'The Stripe gateway sits below the services: src/main/stripe never imports src/main/services.'
        : null,
    (from, t) =>
      t.file && (under(from, 'src/main/services') || under(from, 'src/main/core') || under(from, 'src/main/db')) && under(t.file, 'src/main/rpc')
        ? 'Services, core and db never import src/main/rpc: handler and context types live in src/main/core/handlers.'
        : null,
    (from, t) =>
      t.file && under(from, 'src/main/core') && under(t.file, 'src/main/services')
        ? 'src/main/core is shared by every capability, so it never imports a capability.'
        : null,
    (from, t) => {
      if (!t.file) return null;
      const a = capabilityOf(from);
      const b = capabilityOf(t.file);
      if (!a || !b || a.name === b.name || b.isIndex) return null;
      return `Capabilities use each other only through what a module exports: import services/${b.name}/index, not its private files.`;
    },
    (from, t) =>
      t.pkg === 'stripe' && !stripeAllowed(from)
        ? 'Only the Stripe gateway (src/main/stripe) imports stripe; elsewhere go through the gateway (tests: the emulator through the gateway).'
        : null,
    (from, t) =>
      t.pkg === 'better-sqlite3' && !sqliteAllowed(from)
        ? 'Only src/main/db (and the relay’s store) imports better-sqlite3; use the Db type and openDatabase from src/main/db/connection.'
        : null,
  ];
}

export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keydesk import boundaries (DESIGN §1)' },
    schema: [
      {
        type: 'object',
        properties: { stripeAllowed: { type: 'array', items: { type: 'string' } }, sqliteAllowed: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const file = context.filename;
    const from = repoPath(file);
    if (from.startsWith('..')) return {};
    const rules = checks(context.options[0] ?? {});
    const check = (source) => {
      if (!source || typeof source.value !== 'string') return;
      const t = targetOf(source.value, file);
      for (const rule of rules) {
        const message = rule(from, t);
        if (message) context.report({ node: source, message });
      }
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      TSImportType: (n) => check(n.argument?.literal ?? n.argument),
      TSExternalModuleReference: (n) => check(n.expression),
    };
  },
};

export default { rules: { 'import-boundaries': importBoundaries } };
