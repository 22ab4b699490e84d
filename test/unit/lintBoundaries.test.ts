import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints sample text as if it lived at a real path, so each boundary is checked without touching
// the tree. The ESLint instance is built once, and without the type-aware program (the boundary
// rule reads import paths only): building the program per file is what made this test slow.
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx}'],
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: { '@typescript-eslint/no-floating-promises': 'off' },
      },
    ],
  });
});

async function boundaryErrors(text: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  const messages = result?.messages ?? [];
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`could not lint ${filePath}: ${fatal.map((m) => m.message).join('; ')}`);
  return messages.filter((m) => m.ruleId === 'keydesk/import-boundaries').map((m) => m.message);
}

const importing = (spec: string) => `import * as m from '${spec}';\nexport const x = m;\n`;

/** [what, importer path, import specifier, expected message] */
const FORBIDDEN: [string, string, string, RegExp][] = [
  ['electron in a service', 'src/main/services/settings/settingsService.ts', 'electron', /Only src\/main\/electron and src\/preload may import electron/],
  ['electron in the renderer', 'src/renderer/src/App.tsx', 'electron', /Only src\/main\/electron/],
  ['electron in shared code', 'src/shared/money.ts', 'electron', /src\/shared imports zod only/],
  ['main code in the renderer', 'src/renderer/src/App.tsx', '../../main/rpc/dispatch', /renderer may import only src\/shared/],
  ['stripe in the renderer', 'src/renderer/src/App.tsx', 'stripe', /renderer may import only src\/shared/],
  ['a Node built-in in the renderer', 'src/renderer/src/App.tsx', 'node:fs', /renderer may import only src\/shared/],
  ['the Electron edge from a service, by relative path', 'src/main/services/bookings/bookingsService.ts', '../../electron/main', /never imports src\/main\/electron/],
  ['the Electron edge from db', 'src/main/db/connection.ts', '../electron/main', /never imports src\/main\/electron/],
  ['the Electron edge from core', 'src/main/core/audit.ts', '../electron/main', /never imports src\/main\/electron/],
  ['the preload from a service', 'src/main/services/app/index.ts', '../../../preload/index', /never imports src\/main\/electron or src\/preload/],
  ['main from shared', 'src/shared/contract/app.ts', '../../main/core/ids', /src\/shared imports zod only/],
  ['the renderer from shared', 'src/shared/money.ts', '../renderer/src/format/money', /src\/shared imports zod only/],
  ['the relay from shared', 'src/shared/money.ts', '../relay/tokens', /src\/shared imports zod only/],
  ['the emulator from shared', 'src/shared/money.ts', '../emulator/ids', /src\/shared imports zod only/],
  ['main from the relay', 'src/relay/server.ts', '../main/core/ids', /relay deploys on its own/],
  ['a service from the gateway', 'src/main/stripe/gateway.ts', '../services/bookings/index', /gateway sits below the services/],
  ['rpc from a service', 'src/main/services/fleet/fleetHandlers.ts', '../../rpc/dispatch', /never import src\/main\/rpc/],
  ['a capability from core', 'src/main/core/audit.ts', '../services/settings/index', /core is shared by every capability/],
  ["another capability's private file", 'src/main/services/bookings/bookingsService.ts', '../fleet/fleetRepo', /only through what a module exports: import services\/fleet\/index/],
  ["another capability's private file, re-exported", 'src/main/services/search/index.ts', '../bookings/bookingView', /import services\/bookings\/index/],
  ['stripe in a service', 'src/main/services/bookings/bookingsService.ts', 'stripe', /Only the Stripe gateway/],
  ['stripe in main outside the gateway', 'src/main/demo/demoStack.ts', 'stripe', /Only the Stripe gateway/],
  ["stripe in the emulator's code", 'src/emulator/server.ts', 'stripe', /Only the Stripe gateway/],
  ['stripe elsewhere in the relay', 'src/relay/route.ts', 'stripe', /Only the Stripe gateway/],
  ['better-sqlite3 in a service', 'src/main/services/search/searchRepo.ts', 'better-sqlite3', /Only src\/main\/db/],
  ['better-sqlite3 in the relay outside its store', 'src/relay/server.ts', 'better-sqlite3', /Only src\/main\/db/],
];

const ALLOWED: [string, string, string][] = [
  ['electron at the edge', 'src/main/electron/main.ts', 'electron'],
  ['electron in the preload', 'src/preload/index.ts', 'electron'],
  ['shared from the renderer', 'src/renderer/src/App.tsx', '../../shared/contract'],
  ['zod in shared', 'src/shared/money.ts', 'zod'],
  ["a capability's own files", 'src/main/services/bookings/bookingsService.ts', './bookingsRepo'],
  ["another capability's index", 'src/main/services/bookings/bookingsService.ts', '../fleet/index'],
  ['core from a service', 'src/main/services/fleet/fleetService.ts', '../../core/handlers'],
  ['shared from the relay', 'src/relay/server.ts', '../shared/errors'],
  ['stripe in the gateway', 'src/main/stripe/gateway.ts', 'stripe'],
  ["stripe in the relay's backfill", 'src/relay/backfill.ts', 'stripe'],
  ["stripe in the emulator's tests", 'src/emulator/refunds.test.ts', 'stripe'],
  ['stripe in test/ and bench/', 'bench/emulator.bench.ts', 'stripe'],
  ['better-sqlite3 in db', 'src/main/db/connection.ts', 'better-sqlite3'],
  ["better-sqlite3 in the relay's store", 'src/relay/store/sqlite.ts', 'better-sqlite3'],
];

describe('import boundaries', () => {
  it.each(FORBIDDEN)('refuses %s', async (_what, path, spec, message) => {
    const errors = await boundaryErrors(importing(spec), path);
    expect(errors.join('\n')).toMatch(message);
  });

  it.each(ALLOWED)('allows %s', async (_what, path, spec) => {
    expect(await boundaryErrors(importing(spec), path)).toEqual([]);
  });

  it('checks type-only imports, re-exports and dynamic imports too', async () => {
    const path = 'src/main/services/bookings/bookingsService.ts';
    expect(await boundaryErrors("import type { VehicleRow } from '../fleet/fleetRepo';\nexport type V = VehicleRow;\n", path)).toHaveLength(1);
    expect(await boundaryErrors("export { createFleetRepo } from '../fleet/fleetRepo';\n", path)).toHaveLength(1);
    expect(await boundaryErrors("export async function f() { return import('../../rpc/dispatch'); }\n", path)).toHaveLength(1);
  });
}, 120_000);
